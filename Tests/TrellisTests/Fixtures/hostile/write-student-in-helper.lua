-- Hostile rule: write-student-in-helper
-- Assigns to the student inside a local helper function: the error's location must be the
-- assignment's line (the innermost frame), not the line that called the helper.
-- expect: kind=rule_error message~=cannot set field 'name': the student and ctx are read-only line=10
return {
  id = "write-student-in-helper",
  api = 1,
  evaluate = function(student, ctx)
    local function rename(s)
      s.name = "Hacked" -- <== reported line
    end
    rename(student)
  end,
}
