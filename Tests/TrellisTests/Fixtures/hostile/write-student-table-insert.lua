-- Hostile rule: write-student-table-insert
-- Appends to student.skills with table.insert.
-- expect: kind=rule_error message~=cannot set a number key: the student and ctx are read-only line=8
return {
  id = "write-student-table-insert",
  api = 1,
  evaluate = function(student, ctx)
    table.insert(student.skills, { id = "injected" }) -- <== reported line
  end,
}
