-- Hostile rule: c-loop-table-remove-toctou
-- table.remove on a table whose __len says 1 the first time it is asked and math.maxinteger after
-- that: a length check made in Lua before the call sees 1, the C loop sees the huge length.
-- expect: kind=rule_error|rule_limit
return {
  id = "c-loop-table-remove-toctou",
  api = 1,
  evaluate = function(student, ctx)
    local asked = 0
    local liar = setmetatable({}, { __len = function()
      asked = asked + 1
      return asked == 1 and 1 or math.maxinteger
    end })
    table.remove(liar, 1)
  end,
}
