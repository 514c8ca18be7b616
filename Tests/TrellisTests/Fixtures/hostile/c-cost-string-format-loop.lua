-- Hostile rule: c-cost-string-format-loop
-- string.format("%s", s) of a 4 MB string, in a loop: each call copies it into a buffer and out.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-string-format-loop",
  evaluate = function(student, ctx)
    local s = string.rep("a", 4e6)
    for i = 1, 1e9 do local copy = string.format("%s", s) end
  end,
}
