-- Hostile rule: error-number
-- Raises a number as the error value.
-- expect: kind=rule_error message~=42 line=8
return {
  id = "error-number",
  api = 1,
  evaluate = function(student, ctx)
    error(42) -- <== reported line
  end,
}
