-- Hostile rule: engine-field-overridden-by
-- A recommendation that says it was overridden by the witness: a report reader would take the
-- witness's word as the one that lost. Only the engine sets overridden_by.
-- expect: kind=invalid_recommendation message~=overridden_by is set by the engine
return {
  id = "engine-field-overridden-by",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "probe", action = "report", reason = "r", overridden_by = "witness" } }
  end,
}
