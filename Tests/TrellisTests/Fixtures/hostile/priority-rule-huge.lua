-- Hostile rule: priority-rule-huge
-- The largest finite priorities are numbers like any other: accepted, and the output stays
-- valid JSON (1e+308, and an integer priority near 2^63).
-- expect: clean reason~=huge priority
return {
  id = "priority-rule-huge",
  api = 1,
  priority = 1e308,
  evaluate = function(student, ctx)
    return {
      { skill = "hand-washing", kind = "probe", action = "report", reason = "huge priority" },
      { skill = "hand-washing", kind = "probe2", action = "report", reason = "huge priority, integer", priority = math.maxinteger },
      { skill = "hand-washing", kind = "probe3", action = "report", reason = "huge priority, negative", priority = -1.7976931348623157e308 },
    }
  end,
}
