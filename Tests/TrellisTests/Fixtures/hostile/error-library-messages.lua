-- Hostile rule: error-library-messages
-- Errors raised by the library functions the sandbox provides read as Lua's own: no
-- "trellis/sandbox.lua:NNN:" prefix and the library's full name when called through pcall
-- (the old Lua wrappers said "trellis/sandbox.lua:273: bad argument #1 to 'rep'").
-- expect: clean reason~=bad argument #1 to 'string.rep' (string expected, got no value) | bad argument #1 to 'table.sort' (table expected, got no value) | bad argument #1 to 'coroutine.wrap' (function expected, got number) | bad argument #2 to 'string.gsub' (string expected, got no value) | bad argument #1 to 'setmetatable' (table expected, got number) | bad argument #1 to 'next' (table expected, got number)
return {
  id = "error-library-messages",
  evaluate = function(student, ctx)
    local messages = {}
    for _, call in ipairs({ { string.rep }, { table.sort }, { coroutine.wrap, 1 }, { string.gsub, "x" }, { setmetatable, 1 }, { next, 1 } }) do
      local ok, message = pcall(table.unpack(call))
      messages[#messages + 1] = message
    end
    return { { kind = "probe", action = "report", reason = table.concat(messages, " | ") } }
  end,
}
