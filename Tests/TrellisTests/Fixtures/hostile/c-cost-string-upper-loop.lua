-- Hostile rule: c-cost-string-upper-loop
-- string.upper of a 4 MB string, in a loop.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-string-upper-loop",
  evaluate = function(student, ctx)
    local s = string.rep("a", 4e6)
    for i = 1, 1e9 do local upper = s:upper() end
  end,
}
