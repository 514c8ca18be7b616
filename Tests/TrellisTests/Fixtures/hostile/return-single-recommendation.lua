-- Hostile rule: return-single-recommendation
-- Returns one recommendation instead of a list of them.
-- expect: kind=invalid_recommendation message~=evaluate returned a single recommendation
return {
  id = "return-single-recommendation",
  api = 1,
  evaluate = function(student, ctx)
    return { skill = "hand-washing", kind = "prompt", action = "hold", reason = "just one" }
  end,
}
