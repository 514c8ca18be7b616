-- Hostile rule: c-cost-string-equal-loop
-- a == b on two distinct, equal 4 MB strings (memcmp of 4 MB), in a loop.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-string-equal-loop",
  evaluate = function(student, ctx)
    local a, b = string.rep("a", 4e6), string.rep("a", 4e6)
    local n = 0
    for i = 1, 1e9 do
      if a == b then n = n + 1 end
    end
  end,
}
