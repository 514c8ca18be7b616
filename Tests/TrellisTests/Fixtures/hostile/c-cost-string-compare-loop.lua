-- Hostile rule: c-cost-string-compare-loop
-- s1 < s2 on two equal 4 MB strings, in a loop: one VM instruction that runs strcoll over 4 MB.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-string-compare-loop",
  evaluate = function(student, ctx)
    local a, b = string.rep("a", 4e6), string.rep("a", 4e6)
    local n = 0
    for i = 1, 1e9 do
      if a < b then n = n + 1 end
    end
  end,
}
