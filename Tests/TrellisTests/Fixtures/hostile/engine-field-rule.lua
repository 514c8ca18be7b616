-- Hostile rule: engine-field-rule
-- A recommendation that claims to come from the witness rule: the engine names the rule that
-- made it, so the witness's own recommendations are unchanged and this one is this rule's.
-- expect: clean reason~=claims to be the witness
return {
  id = "engine-field-rule",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "probe", action = "report", reason = "claims to be the witness", rule = "witness", priority = 1000 } }
  end,
}
