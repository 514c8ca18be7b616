-- Hostile rule: pattern-match-method
-- The same blow-up through method syntax: s:match.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=9
return {
  id = "pattern-match-method",
  api = 1,
  evaluate = function(student, ctx)
    local s = string.rep("a", 150)
    local m = s:match(".-.-.-.-b") -- <== reported line
  end,
}
