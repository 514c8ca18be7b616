-- Hostile rule: io-open-read
-- Reads a system file.
-- expect: kind=rule_error message~=attempt to index a nil value (global 'io') line=8
return {
  id = "io-open-read",
  api = 1,
  evaluate = function(student, ctx)
    local f = io.open("/etc/passwd", "r") -- <== reported line
    return { { kind = "leak", action = "report", reason = f:read("a") } }
  end,
}
