-- Hostile rule: c-cost-string-byte-loop
-- s:byte(1, -1) pushes 100,000 values in one call (and select takes them all), in a loop.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-string-byte-loop",
  evaluate = function(student, ctx)
    local s = string.rep("a", 100000)
    for i = 1, 1e9 do local n = select("#", s:byte(1, -1)) end
  end,
}
