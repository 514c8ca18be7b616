-- Hostile rule: pattern-literal-quadratic-match
-- A pattern without any quantifier is still compared at every start position: 20,000 a's then a b
-- against 4,000,000 a's is about 8*10^10 character steps in C.
-- expect: kind=rule_error|rule_limit
return {
  id = "pattern-literal-quadratic-match",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.match(string.rep("a", 4000000), string.rep("a", 20000) .. "b")
  end,
}
