-- Hostile rule: pattern-gsub-method
-- Greedy stars through method syntax: s:gsub.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=9
return {
  id = "pattern-gsub-method",
  api = 1,
  evaluate = function(student, ctx)
    local s = string.rep("a", 150)
    local out = s:gsub(".*.*.*.*b", "") -- <== reported line
  end,
}
