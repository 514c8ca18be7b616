-- Hostile rule: write-student-trials
-- Assigns to a nested session field: student.skills[1].sessions[1].trials = 99.
-- expect: kind=rule_error message~=cannot set field 'trials': the student and ctx are read-only line=8
return {
  id = "write-student-trials",
  api = 1,
  evaluate = function(student, ctx)
    student.skills[1].sessions[1].trials = 99 -- <== reported line
  end,
}
