-- Hostile rule: memory-garbage-across-students
-- Builds one 6 MB string for every student (string.rep needs a 6 MB buffer too: 12 MB at the peak,
-- within the 16 MB cap) and returns. Each evaluation fits; what one student's run leaves as
-- garbage must not count against the next student's, so every student must succeed, whatever the
-- order.
-- expect: clean reason~=held 6000000 bytes
return {
  id = "memory-garbage-across-students",
  api = 1,
  evaluate = function(student, ctx)
    local big = string.rep("x", 6000000)
    return { { kind = "probe", action = "report", reason = "held " .. #big .. " bytes for a moment" } }
  end,
}
