-- Hostile rule: memory-string-rep-empty
-- string.rep("", 1e15), which would spin in C for hours copying nothing.
-- expect: clean reason~=length 0
return {
  id = "memory-string-rep-empty",
  api = 1,
  evaluate = function(student, ctx)
    local nothing = string.rep("", 1e15)
    local also_nothing = (""):rep(1e15)
    return { { kind = "probe", action = "report", reason = "length " .. #nothing + #also_nothing } }
  end,
}
