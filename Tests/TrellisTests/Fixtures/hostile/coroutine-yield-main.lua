-- Hostile rule: coroutine-yield-main
-- Yields from the main thread of a rule (outside any coroutine).
-- expect: kind=rule_error message~=attempt to yield from outside a coroutine line=8
return {
  id = "coroutine-yield-main",
  api = 1,
  evaluate = function(student, ctx)
    coroutine.yield("out") -- <== reported line
  end,
}
