-- Hostile rule: loop-pcall
-- An infinite loop inside pcall, then an attempt to return normally as if nothing happened.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-pcall",
  api = 1,
  evaluate = function(student, ctx)
    local ok = pcall(function() while true do end end)
    return { { kind = "escaped", action = "report", reason = "the budget error was caught: " .. tostring(ok) } }
  end,
}
