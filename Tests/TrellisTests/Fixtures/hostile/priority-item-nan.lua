-- Hostile rule: priority-item-nan
-- A recommendation whose own priority is NaN: it would win a conflict by order and be written as
-- null. The rule's output for the student is refused.
-- expect: kind=invalid_recommendation message~=priority must be a finite number
return {
  id = "priority-item-nan",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "prompt", action = "hold", reason = "NaN wins", priority = 0 / 0 } }
  end,
}
