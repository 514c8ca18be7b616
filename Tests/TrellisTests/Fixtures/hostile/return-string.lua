-- Hostile rule: return-string
-- Returns a string instead of a list.
-- expect: kind=invalid_recommendation message~=evaluate must return a list of recommendations, not a string
return {
  id = "return-string",
  api = 1,
  evaluate = function(student, ctx)
    return "fade everyone"
  end,
}
