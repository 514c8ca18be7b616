-- Hostile rule: priority-item-neg-inf
-- A recommendation with priority -math.huge (an overflow: -1e308 * 10).
-- expect: kind=invalid_recommendation message~=priority must be a finite number
return {
  id = "priority-item-neg-inf",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "prompt", action = "hold", reason = "minus infinity", priority = -1e308 * 10 } }
  end,
}
