-- Hostile rule: c-loop-table-sort-len
-- table.sort of a table whose __len says 2,147,483,646 (just under Lua's "array too big"), whose
-- elements all read as 0 through a C function and whose writes vanish into another: two billion
-- elements sorted in C. Each comparison and each read and write is charged now.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=10
return {
  id = "c-loop-table-sort-len",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __len = function() return 2147483646 end, __index = rawlen, __newindex = rawequal })
    table.sort(t) -- <== reported line
  end,
}
