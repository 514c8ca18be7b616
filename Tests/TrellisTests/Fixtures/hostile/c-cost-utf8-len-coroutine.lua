-- Hostile rule: c-cost-utf8-len-coroutine
-- The utf8.len loop inside a coroutine: the watchdog must stop the thread that is running (the
-- coroutine), not only the main thread.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-utf8-len-coroutine",
  evaluate = function(student, ctx)
    local s = string.rep("a", 6e6)
    local loop = coroutine.wrap(function()
      for i = 1, 1e9 do utf8.len(s) end
    end)
    loop()
  end,
}
