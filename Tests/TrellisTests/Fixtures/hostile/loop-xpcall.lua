-- Hostile rule: loop-xpcall
-- An infinite loop inside xpcall whose handler swallows the budget error.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-xpcall",
  api = 1,
  evaluate = function(student, ctx)
    local ok = xpcall(function() while true do end end, function(err) return "swallowed" end)
    return { { kind = "escaped", action = "report", reason = "xpcall returned " .. tostring(ok) } }
  end,
}
