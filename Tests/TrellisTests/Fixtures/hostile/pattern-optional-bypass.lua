-- Hostile rule: pattern-optional-bypass
-- Exponential backtracking with ? quantifiers, which the sandbox's old cost estimate did not
-- count: 40 optional a's then 40 a's against 40 a's is about 2^40 steps in C, where no hook runs.
-- Must be stopped.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=10
return {
  id = "pattern-optional-bypass",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40)) -- <== reported line
  end,
}
