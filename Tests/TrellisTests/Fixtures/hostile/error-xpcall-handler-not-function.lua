-- Hostile rule: error-xpcall-handler-not-function
-- xpcall with a message handler that is not a function: Lua refuses it at once; the old wrapper
-- accepted it, then failed inside the handler with the sandbox's own file and line.
-- expect: clean reason~=bad argument #2 to 'xpcall' (function expected, got number)
return {
  id = "error-xpcall-handler-not-function",
  evaluate = function(student, ctx)
    local ok, message = pcall(xpcall, error, 42)
    return { { kind = "probe", action = "report", reason = tostring(message) } }
  end,
}
