-- Hostile rule: loop-coroutine-wrap
-- An infinite loop inside a coroutine (coroutine.wrap), called under pcall.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-coroutine-wrap",
  api = 1,
  evaluate = function(student, ctx)
    local spin = coroutine.wrap(function() while true do end end)
    pcall(spin)
    return { { kind = "escaped", action = "report", reason = "the coroutine gave control back" } }
  end,
}
