-- Hostile rule: memory-string-rep-count-as-string
-- string.rep("", "1e15"): the count as a string, which the library converts to an integer. A size
-- check that looks only at numbers lets it through, and the C function then copies nothing 10^15
-- times.
-- expect: clean reason~=length 0
return {
  id = "memory-string-rep-count-as-string",
  api = 1,
  evaluate = function(student, ctx)
    local nothing = string.rep("", "1e15")
    return { { kind = "probe", action = "report", reason = "length " .. #nothing } }
  end,
}
