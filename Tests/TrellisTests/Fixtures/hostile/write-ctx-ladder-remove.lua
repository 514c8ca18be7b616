-- Hostile rule: write-ctx-ladder-remove
-- Removes the last level of the shared prompt ladder with table.remove.
-- expect: kind=rule_error message~=cannot set a number key: the student and ctx are read-only line=8
return {
  id = "write-ctx-ladder-remove",
  api = 1,
  evaluate = function(student, ctx)
    table.remove(ctx.ladders.prompt) -- <== reported line
  end,
}
