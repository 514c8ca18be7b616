-- Hostile rule: return-options-not-items
-- Returns a choices menu whose options are strings, not catalog items.
-- expect: kind=invalid_recommendation message~=options[1] must be a table with an id
return {
  id = "return-options-not-items",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "choices", action = "offer", reason = "pick one", options = { "show-video", "draw-steps" } } }
  end,
}
