-- Hostile rule: c-cost-concat-loop
-- s .. "!" on a 6 MB string, in a loop: one instruction copying 6 MB each time (the copies are
-- garbage at once, so the memory cap does not stop it).
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-concat-loop",
  evaluate = function(student, ctx)
    local s = string.rep("a", 6e6)
    for i = 1, 1e9 do local copy = s .. "!" end
  end,
}
