-- Hostile rule: return-evidence-cyclic
-- Returns evidence that contains itself.
-- expect: kind=invalid_recommendation message~=nested more than 32 levels deep
return {
  id = "return-evidence-cyclic",
  api = 1,
  evaluate = function(student, ctx)
    local evidence = { n = 1 }
    evidence.self = evidence
    return { { kind = "probe", action = "report", reason = "r", evidence = evidence } }
  end,
}
