-- Hostile rule: loadfile
-- Compiles a file with loadfile.
-- expect: kind=rule_error message~=attempt to call a nil value (global 'loadfile') line=8
return {
  id = "loadfile",
  api = 1,
  evaluate = function(student, ctx)
    local f = loadfile("/etc/passwd") -- <== reported line
  end,
}
