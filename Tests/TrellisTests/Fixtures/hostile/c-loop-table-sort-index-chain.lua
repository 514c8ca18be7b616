-- Hostile rule: c-loop-table-sort-index-chain
-- table.sort of 100,000 elements read through a chain of 1,990 __index tables ending in a C
-- function, with writes to another: each of some two million reads walks the chain in C. The old
-- port copied such a table out in Lua; the C sort reads it in place, checking the deadline.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-loop-table-sort-index-chain",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __index = rawlen })
    for i = 1, 1990 do t = setmetatable({}, { __index = t }) end
    local outer = setmetatable({}, { __len = function() return 100000 end, __index = t, __newindex = rawequal })
    for i = 1, 1e9 do table.sort(outer) end
  end,
}
