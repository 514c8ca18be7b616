-- Hostile rule: pattern-optional-bypass
-- Exponential backtracking with ? quantifiers, which the sandbox's cost estimate does not count:
-- 40 optional a's then 40 a's against 40 a's is about 2^40 steps in C, where no hook runs. Must be
-- refused (or stopped).
-- expect: kind=rule_error message~=too costly line=10
return {
  id = "pattern-optional-bypass",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40)) -- <== reported line
  end,
}
