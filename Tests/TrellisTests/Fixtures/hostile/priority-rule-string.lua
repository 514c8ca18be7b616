-- Hostile rule: priority-rule-string
-- A rule priority written as a string that Lua would coerce in arithmetic ("99"): the engine
-- does not coerce, it refuses.
-- expect: load_error message~=priority must be a number line=8
return {
  id = "priority-rule-string",
  api = 1,
  priority = "99", -- <== reported line
  evaluate = function(student, ctx)
    return nil
  end,
}
