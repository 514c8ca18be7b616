-- Hostile rule: pattern-find
-- string.find with 4 lazy quantifiers on 150 characters: backtracks for hours in C unless refused.
-- expect: kind=rule_error message~=is too costly on 150 characters line=8
return {
  id = "pattern-find",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 150), ".-.-.-.-b") -- <== reported line
  end,
}
