-- Hostile rule: c-loop-table-insert-len
-- table.insert at position 1 of a table whose __len claims a billion elements: Lua's insert moves
-- every element up, reading and writing through C functions (__index = rawlen, __newindex =
-- rawequal), a billion steps in one C call. Each is charged now.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=10
return {
  id = "c-loop-table-insert-len",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __len = function() return 1e9 end, __index = rawlen, __newindex = rawequal })
    table.insert(t, 1, "first") -- <== reported line
  end,
}
