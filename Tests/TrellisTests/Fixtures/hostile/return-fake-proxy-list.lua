-- Hostile rule: return-fake-proxy-list
-- Returns a plain table whose metatable carries the engine's read-only-proxy mark
-- (__trellis_readonly) and an __index that is a number. Only the engine's own proxies may be
-- unwrapped: a rule's table with that mark is still just an empty table (an empty list), and
-- nothing may read the number as a table.
-- expect: clean
return {
  id = "return-fake-proxy-list",
  api = 1,
  evaluate = function(student, ctx)
    return setmetatable({}, { __trellis_readonly = true, __index = 12345 })
  end,
}
