-- Hostile rule: os-execute
-- Runs a shell command that would create a sentinel file.
-- expect: kind=rule_error message~=attempt to call a nil value (field 'execute') line=8
return {
  id = "os-execute",
  api = 1,
  evaluate = function(student, ctx)
    os.execute("touch /tmp/trellis-hostile-sentinel-os-execute") -- <== reported line
  end,
}
