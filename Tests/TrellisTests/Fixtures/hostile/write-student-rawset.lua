-- Hostile rule: write-student-rawset
-- Writes past the proxy with rawset (which rules do not get).
-- expect: kind=rule_error message~=attempt to call a nil value (global 'rawset') line=8
return {
  id = "write-student-rawset",
  api = 1,
  evaluate = function(student, ctx)
    rawset(student, "id", "hacked") -- <== reported line
  end,
}
