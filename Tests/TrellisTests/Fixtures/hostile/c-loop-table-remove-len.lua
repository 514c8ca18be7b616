-- Hostile rule: c-loop-table-remove-len
-- table.remove on a table whose __len claims math.maxinteger elements: table.remove shifts every
-- position in a C loop that runs no Lua instruction.
-- expect: kind=rule_error|rule_limit
return {
  id = "c-loop-table-remove-len",
  api = 1,
  evaluate = function(student, ctx)
    table.remove(setmetatable({}, { __len = function() return math.maxinteger end }), 1)
  end,
}
