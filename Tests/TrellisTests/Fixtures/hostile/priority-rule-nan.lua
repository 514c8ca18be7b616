-- Hostile rule: priority-rule-nan
-- A rule priority that is not a number at all (0/0): it would be written as null and win every
-- conflict by the order NaN compares in. The pack must not load, naming the line.
-- expect: load_error message~=priority must be a finite number line=7
return {
  id = "priority-rule-nan",
  priority = 0 / 0, -- <== reported line
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "prompt", action = "hold", reason = "NaN priority" } }
  end,
}
