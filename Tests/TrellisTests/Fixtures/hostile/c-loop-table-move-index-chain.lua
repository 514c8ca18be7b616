-- Hostile rule: c-loop-table-move-index-chain
-- table.move of a million elements read through a chain of 1,990 __index tables ending in a C
-- function: a million reads of some 40 µs each inside one C call. Each read checks the deadline.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-loop-table-move-index-chain",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __index = rawlen })
    for i = 1, 1990 do t = setmetatable({}, { __index = t }) end
    for i = 1, 1e9 do table.move(t, 1, 1e6, 1, {}) end
  end,
}
