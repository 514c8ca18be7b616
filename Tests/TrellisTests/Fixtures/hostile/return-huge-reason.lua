-- Hostile rule: return-huge-reason
-- Returns a single recommendation whose reason is a 6 MB string: more output than a rule may hand
-- back for one student (the evidence is capped at 1 MB; the reason must not be a way around that).
-- expect: kind=invalid_recommendation message~=larger than 1 MB
return {
  id = "return-huge-reason",
  api = 1,
  evaluate = function(student, ctx)
    return { { kind = "probe", action = "report", reason = string.rep("why ", 1500000) } }
  end,
}
