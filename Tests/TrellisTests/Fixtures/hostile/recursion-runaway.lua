-- Hostile rule: recursion-runaway
-- Runaway (non-tail) recursion: the Lua stack grows until something stops it.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "recursion-runaway",
  api = 1,
  evaluate = function(student, ctx)
    local function dive(n) return dive(n + 1) + 1 end
    return dive(1)
  end,
}
