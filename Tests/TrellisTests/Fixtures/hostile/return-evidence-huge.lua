-- Hostile rule: return-evidence-huge
-- Returns an evidence list of 100,000 numbers: more output than a rule may hand back for one
-- student.
-- expect: kind=invalid_recommendation message~=the output is larger than 1 MB
return {
  id = "return-evidence-huge",
  api = 1,
  evaluate = function(student, ctx)
    local numbers = {}
    for i = 1, 100000 do numbers[i] = i end
    return { { kind = "probe", action = "report", reason = "huge evidence", evidence = numbers } }
  end,
}
