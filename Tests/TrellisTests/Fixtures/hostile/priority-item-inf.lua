-- Hostile rule: priority-item-inf
-- A recommendation with priority math.huge, to beat every other rule for good.
-- expect: kind=invalid_recommendation message~=priority must be a finite number
return {
  id = "priority-item-inf",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "prompt", action = "hold", reason = "infinity wins", priority = math.huge } }
  end,
}
