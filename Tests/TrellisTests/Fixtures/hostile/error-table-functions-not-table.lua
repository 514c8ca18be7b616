-- Hostile rule: error-table-functions-not-table
-- table.concat, move, insert and remove given a number: Lua's own message ("bad argument #1 to
-- 'concat' (table expected, got number)"), not the old port's "attempt to get length of a number
-- value (local 'list')" with the sandbox's file and line.
-- expect: clean reason~=table expected, got number | table expected, got number | table expected, got number | table expected, got number
return {
  id = "error-table-functions-not-table",
  evaluate = function(student, ctx)
    local messages = {}
    for _, call in ipairs({
      function() return table.concat(3) end,
      function() return table.move(3, 1, 2, 3) end,
      function() return table.insert(3, 1) end,
      function() return table.remove(3) end,
    }) do
      local ok, message = pcall(call)
      messages[#messages + 1] = message:match("table expected, got %a+") or message
    end
    return { { kind = "probe", action = "report", reason = table.concat(messages, " | ") } }
  end,
}
