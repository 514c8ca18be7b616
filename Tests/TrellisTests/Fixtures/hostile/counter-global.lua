-- Hostile rule: counter-global
-- A global counter incremented for each student: every student must see 1.
-- expect: clean reason~=count=1
return {
  id = "counter-global",
  api = 1,
  evaluate = function(student, ctx)
    calls = (calls or 0) + 1
    return { { kind = "probe", action = "report", reason = "count=" .. calls } }
  end,
}
