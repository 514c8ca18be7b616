-- Hostile rule: memory-garbage-near-cap
-- Fills memory with strings up to just below the 16 MB cap (measured with
-- collectgarbage("count")), then raises an ordinary error, leaving all of it as garbage. The next
-- rule (the witness) must not pay for it: an allocation it makes may be refused first and then
-- succeed after Lua's emergency collection.
-- expect: kind=rule_error message~=of garbage behind line=13
return {
  id = "memory-garbage-near-cap",
  api = 1,
  evaluate = function(student, ctx)
    local hoard = {}
    while collectgarbage("count") < 15.5 * 1024 do hoard[#hoard + 1] = string.rep("x", 16384) end
    error("left " .. #hoard .. " strings of garbage behind") -- <== reported line
  end,
}
