-- Hostile rule: io-open-write
-- Opens a sentinel file for writing.
-- expect: kind=rule_error message~=attempt to index a nil value (global 'io') line=8
return {
  id = "io-open-write",
  api = 1,
  evaluate = function(student, ctx)
    local f = io.open("/tmp/trellis-hostile-sentinel-io-open-write", "w") -- <== reported line
    f:write("escaped")
    f:close()
  end,
}
