-- Hostile rule: write-ctx-params
-- Assigns to ctx.params.
-- expect: kind=rule_error message~=cannot set field 'x': the student and ctx are read-only line=8
return {
  id = "write-ctx-params",
  api = 1,
  evaluate = function(student, ctx)
    ctx.params.x = 42 -- <== reported line
  end,
}
