-- Hostile rule: error-table
-- Raises a table as the error value.
-- expect: kind=rule_error message~=error raised with a table value line=8
return {
  id = "error-table",
  api = 1,
  evaluate = function(student, ctx)
    error({ code = 42 }) -- <== reported line
  end,
}
