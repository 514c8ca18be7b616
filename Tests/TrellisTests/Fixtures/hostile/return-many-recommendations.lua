-- Hostile rule: return-many-recommendations
-- Returns 40,000 small recommendations with 100-character reasons (4 MB of text): many small items
-- must not add up to more output than a rule may hand back for one student.
-- expect: kind=invalid_recommendation message~=larger than 1 MB
return {
  id = "return-many-recommendations",
  api = 1,
  evaluate = function(student, ctx)
    local list, reason = {}, string.rep("r", 100)
    for i = 1, 40000 do list[i] = { kind = "probe", action = "report", reason = reason, skill = "hand-washing" } end
    return list
  end,
}
