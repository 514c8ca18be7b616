-- Hostile rule: pattern-literal-quadratic-find
-- A plain find (no pattern at all) of 3,000,000 a's then a b in 6,000,000 a's: memcmp at 3 million
-- positions, about 10^13 byte comparisons in C.
-- expect: kind=rule_error|rule_limit
return {
  id = "pattern-literal-quadratic-find",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 6000000), string.rep("a", 3000000) .. "b", 1, true)
  end,
}
