-- Hostile rule: engine-field-students
-- The list form, which only class-level recommendations may use.
-- expect: kind=invalid_recommendation message~=students is set by the engine
return {
  id = "engine-field-students",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "probe", action = "report", reason = "r", students = { "s-1", "s-3" } } }
  end,
}
