-- Hostile rule: memory-buffer-after-garbage
-- Holds 12 MB for a moment in every student's run (a 6 MB string.rep, then a copy of it), within
-- the 16 MB cap, and returns. string.rep builds its result in a lauxlib buffer that asks the
-- allocator directly, without Lua's emergency collection, so garbage left by earlier students must
-- not be counted against it: every student must succeed, whatever the order.
-- expect: clean reason~=held 6000003 bytes
return {
  id = "memory-buffer-after-garbage",
  api = 1,
  evaluate = function(student, ctx)
    local big = string.rep("x", 6000000)
    local copy = "at " .. big
    return { { kind = "probe", action = "report", reason = "held " .. #copy .. " bytes for a moment" } }
  end,
}
