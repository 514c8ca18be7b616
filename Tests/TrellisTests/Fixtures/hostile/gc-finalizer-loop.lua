-- Hostile rule: gc-finalizer-loop
-- Leaves garbage with a __gc finalizer that loops forever. Lua runs finalizers with debug hooks
-- switched off, so no instruction budget or deadline stops it once the collector (or lua_close)
-- calls it. The rule itself returns normally; the engine must neither hang nor let the finalizer
-- run.
-- expect: clean reason~=finalizer left behind
return {
  id = "gc-finalizer-loop",
  api = 1,
  evaluate = function(student, ctx)
    pcall(setmetatable, {}, { __gc = function() while true do end end })
    return { { kind = "probe", action = "report", reason = "an object with a looping finalizer left behind" } }
  end,
}
