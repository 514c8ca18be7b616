-- Hostile rule: priority-rule-neg-inf
-- A rule priority of minus infinity, written as an integer division by zero's float cousin.
-- expect: load_error message~=priority must be a finite number line=7
return {
  id = "priority-rule-neg-inf",
  api = 1,
  priority = -1 / 0, -- <== reported line
  evaluate = function(student, ctx)
    return nil
  end,
}
