-- Hostile rule: c-loop-table-remove-index-chain
-- table.remove(t, 1) on a table whose __len says a million and whose reads walk a chain of 1,990
-- __index tables ending in a C function: every element moves down, through the chain, in C.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-loop-table-remove-index-chain",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __index = rawlen })
    for i = 1, 1990 do t = setmetatable({}, { __index = t }) end
    local outer = setmetatable({}, { __len = function() return 1e6 end, __index = t, __newindex = rawequal })
    for i = 1, 1e9 do table.remove(outer, 1) end
  end,
}
