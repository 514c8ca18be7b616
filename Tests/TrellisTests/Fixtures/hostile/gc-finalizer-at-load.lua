-- Hostile rule: gc-finalizer-at-load
-- The same looping __gc finalizer, created at the top level of the file, so it becomes garbage
-- while the rule is loaded (Engine(rulePack:) closes that Lua state again).
-- expect: clean reason~=loaded with a finalizer
pcall(setmetatable, {}, { __gc = function() while true do end end })
return {
  id = "gc-finalizer-at-load",
  api = 1,
  evaluate = function(student, ctx)
    return { { kind = "probe", action = "report", reason = "loaded with a finalizer in the file" } }
  end,
}
