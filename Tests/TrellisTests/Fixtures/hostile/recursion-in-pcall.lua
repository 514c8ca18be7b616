-- Hostile rule: recursion-in-pcall
-- Runaway recursion inside pcall, then returns the caught error as if all were well.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "recursion-in-pcall",
  api = 1,
  evaluate = function(student, ctx)
    local function dive(n) return dive(n + 1) + 1 end
    local ok, err = pcall(dive, 1)
    return { { kind = "escaped", action = "report", reason = "caught: " .. tostring(err) } }
  end,
}
