-- Hostile rule: c-loop-table-unpack-len
-- table.unpack of a table whose __len says 500,000 (under the stack's limit of a million values)
-- and whose elements are read through a chain of 1,990 __index tables ending in a C function: half
-- a million reads of some 40 µs each in one C call. Each read checks the deadline.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-loop-table-unpack-len",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __index = rawlen })
    for i = 1, 1990 do t = setmetatable({}, { __index = t }) end
    local outer = setmetatable({}, { __len = function() return 500000 end, __index = t })
    for i = 1, 1e9 do local n = select("#", table.unpack(outer)) end
  end,
}
