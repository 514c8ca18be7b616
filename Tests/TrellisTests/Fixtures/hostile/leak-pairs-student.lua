-- Hostile rule: leak-pairs-student
-- pairs(student) returns the student's real table behind the read-only proxy; the rule renames the
-- student in it, which the next rule for the same student (the witness) would see.
-- expect: clean reason~=name=Student
return {
  id = "leak-pairs-student",
  api = 1,
  evaluate = function(student, ctx)
    local before = student.name
    pcall(function()
      local _, real = pairs(student)
      real.name = "PWNED"
    end)
    return { { kind = "probe", action = "report", reason = "name=" .. before } }
  end,
}
