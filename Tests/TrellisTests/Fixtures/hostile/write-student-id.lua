-- Hostile rule: write-student-id
-- Assigns to student.id.
-- expect: kind=rule_error message~=cannot set field 'id': the student and ctx are read-only line=8
return {
  id = "write-student-id",
  api = 1,
  evaluate = function(student, ctx)
    student.id = "hacked" -- <== reported line
  end,
}
