-- Hostile rule: c-loop-table-insert-len-string
-- table.insert on a table whose __len returns a string: Lua refuses it ("object length is not an
-- integer"); the old Lua port added 1 to it instead.
-- expect: kind=rule_error message~=object length is not an integer line=9
return {
  id = "c-loop-table-insert-len-string",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __len = function() return "many" end })
    table.insert(t, 1, "first") -- <== reported line
  end,
}
