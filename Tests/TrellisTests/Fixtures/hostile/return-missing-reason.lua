-- Hostile rule: return-missing-reason
-- Returns a recommendation without a reason.
-- expect: kind=invalid_recommendation message~=recommendation 1: reason is required
return {
  id = "return-missing-reason",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "prompt", action = "hold", from = "gestural" } }
  end,
}
