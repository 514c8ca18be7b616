-- Hostile rule: pattern-number-subject-bypass
-- A number as the subject: the sandbox's old static check skipped subjects that were not strings,
-- but string.find turns the number into a 17-character string and backtracks over 20 lazy
-- quantifiers for hours in C.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=10
return {
  id = "pattern-number-subject-bypass",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(12345678901234567, string.rep(".-", 20) .. "x") -- <== reported line
  end,
}
