-- Hostile rule: return-number
-- Returns a number instead of a list.
-- expect: kind=invalid_recommendation message~=evaluate must return a list of recommendations, not a number
return {
  id = "return-number",
  api = 1,
  evaluate = function(student, ctx)
    return 42
  end,
}
