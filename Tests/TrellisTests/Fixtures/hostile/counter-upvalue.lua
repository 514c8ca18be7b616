-- Hostile rule: counter-upvalue
-- A file-level local (an upvalue of evaluate) counter: every student must see 1.
-- expect: clean reason~=count=1
local calls = 0
return {
  id = "counter-upvalue",
  api = 1,
  evaluate = function(student, ctx)
    calls = calls + 1
    return { { kind = "probe", action = "report", reason = "count=" .. calls } }
  end,
}
