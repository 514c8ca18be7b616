-- Hostile rule: return-evidence-function
-- Returns evidence holding a function.
-- expect: kind=invalid_recommendation message~=evidence.callback: a function has no JSON form
return {
  id = "return-evidence-function",
  api = 1,
  evaluate = function(student, ctx)
    return { { kind = "probe", action = "report", reason = "r", evidence = { callback = function() end } } }
  end,
}
