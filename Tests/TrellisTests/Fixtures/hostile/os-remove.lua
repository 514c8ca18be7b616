-- Hostile rule: os-remove
-- Deletes a file with os.remove (and renames one with os.rename).
-- expect: kind=rule_error message~=attempt to call a nil value (field 'remove') line=8
return {
  id = "os-remove",
  api = 1,
  evaluate = function(student, ctx)
    os.remove("/tmp/trellis-hostile-sentinel-os-remove") -- <== reported line
    os.rename("/tmp/a", "/tmp/trellis-hostile-sentinel-os-rename")
  end,
}
