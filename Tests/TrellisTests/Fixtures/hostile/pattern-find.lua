-- Hostile rule: pattern-find
-- string.find with 4 lazy quantifiers on 150 characters: backtracks for hours in C unless each
-- step of the matcher is counted (it is: the budget stops it).
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=9
return {
  id = "pattern-find",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 150), ".-.-.-.-b") -- <== reported line
  end,
}
