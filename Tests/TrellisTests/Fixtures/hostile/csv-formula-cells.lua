-- Hostile rule: csv-formula-cells
-- Cells a spreadsheet would run as formulas: =, +, -, @, tab and carriage return first. The CSV
-- output guards them; a negative priority stays a number.
-- expect: clean reason~==HYPERLINK
return {
  id = "csv-formula-cells",
  api = 1,
  priority = -5,
  evaluate = function(student, ctx)
    return {
      { skill = "@SUM(1+1)", kind = "+cmd", action = "-2+3+cmd|' /C calc'!A0", reason = "=HYPERLINK(\"http://x\",\"click\")" },
      { skill = "\tsk", kind = "\rkind", action = "=1", from = "+1", to = "-1-1", reason = "@a", priority = -0.5 },
      { skill = "hand-washing", kind = "menu", action = "offer", options = { { id = "=cmd" }, { id = "ok" } }, reason = "-x" },
    }
  end,
}
