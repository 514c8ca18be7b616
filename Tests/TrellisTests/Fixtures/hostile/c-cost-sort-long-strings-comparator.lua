-- Hostile rule: c-cost-sort-long-strings-comparator
-- table.sort with a comparator that compares two equal 4 MB strings with rawequal (a memcmp of 4
-- MB in C) at every call: a few instructions per comparison, each costly, so the hook's grain of
-- 1,000 instructions spans a few hundred milliseconds. The deadline stops it at the next one.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-sort-long-strings-comparator",
  evaluate = function(student, ctx)
    local t = {}
    for i = 1, 2000 do t[i] = "item " .. i end
    local long, other = string.rep("b", 4e6), string.rep("b", 4e6)
    for round = 1, 1e9 do
      table.sort(t, function(a, b) return rawequal(long, other) and a < b end)
    end
  end,
}
