-- Hostile rule: error-nil
-- Raises nil as the error value.
-- expect: kind=rule_error message~=error raised with a nil value line=8
return {
  id = "error-nil",
  api = 1,
  evaluate = function(student, ctx)
    error(nil) -- <== reported line
  end,
}
