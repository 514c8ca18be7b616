-- Hostile rule: budget-fresh-coroutines
-- Spreads about 28 million VM instructions over 30,000 fresh coroutines that each run fewer than
-- 1,000 instructions (the hook's grain), then returns normally. Each run is far over the
-- 2,000,000-instruction budget, so it must be stopped; a budget that coroutines can slip past lets
-- it finish.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "budget-fresh-coroutines",
  api = 1,
  evaluate = function(student, ctx)
    local steps = 0
    for i = 1, 30000 do
      local burst = coroutine.wrap(function()
        for j = 1, 940 do end
        return 940
      end)
      steps = steps + burst()
    end
    return { { kind = "escaped", action = "report", reason = "ran " .. steps .. " loop steps inside coroutines" } }
  end,
}
