-- Hostile rule: engine-field-student
-- A student-level recommendation that names another student: a reader of the output could file
-- it under s-2. The engine says whose result it is.
-- expect: kind=invalid_recommendation message~=student is set by the engine
return {
  id = "engine-field-student",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "probe", action = "report", reason = "r", student = "s-2" } }
  end,
}
