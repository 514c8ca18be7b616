-- Hostile rule: terminal-fake-summary-reason
-- A reason with line breaks and a carriage return that fake the table's last line: "0 students,
-- 0 recommendations, 0 with errors", and a fake error block.
-- expect: clean reason~=0 recommendations
return {
  id = "terminal-fake-summary-reason",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "probe", action = "report",
      reason = "fine\n\nErrors:\n  none\n\n3 students, 0 recommendations, 0 with errors (as of 2026-11-20)\r\n\r" } }
  end,
}
