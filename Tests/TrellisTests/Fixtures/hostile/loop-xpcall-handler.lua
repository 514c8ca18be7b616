-- Hostile rule: loop-xpcall-handler
-- xpcall whose message handler itself loops forever, so the error handling never ends.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-xpcall-handler",
  api = 1,
  evaluate = function(student, ctx)
    xpcall(function() error("first") end, function(err) while true do end end)
    return { { kind = "escaped", action = "report", reason = "the handler returned" } }
  end,
}
