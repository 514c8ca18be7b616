-- Hostile rule: priority-item-string
-- A recommendation priority given as a numeric string: not coerced, refused.
-- expect: kind=invalid_recommendation message~=priority must be a number
return {
  id = "priority-item-string",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "prompt", action = "hold", reason = "string priority", priority = "1e999" } }
  end,
}
