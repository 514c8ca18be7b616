-- Hostile rule: dofile
-- Runs a file with dofile.
-- expect: kind=rule_error message~=attempt to call a nil value (global 'dofile') line=8
return {
  id = "dofile",
  api = 1,
  evaluate = function(student, ctx)
    dofile("/etc/passwd") -- <== reported line
  end,
}
