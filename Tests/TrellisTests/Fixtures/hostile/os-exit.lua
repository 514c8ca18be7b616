-- Hostile rule: os-exit
-- Ends the whole process with os.exit.
-- expect: kind=rule_error message~=attempt to call a nil value (field 'exit') line=8
return {
  id = "os-exit",
  api = 1,
  evaluate = function(student, ctx)
    os.exit(3) -- <== reported line
  end,
}
