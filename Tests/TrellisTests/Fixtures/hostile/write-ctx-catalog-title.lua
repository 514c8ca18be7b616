-- Hostile rule: write-ctx-catalog-title
-- Renames a catalog item that every rule and student shares.
-- expect: kind=rule_error message~=cannot set field 'title': the student and ctx are read-only line=8
return {
  id = "write-ctx-catalog-title",
  api = 1,
  evaluate = function(student, ctx)
    ctx.catalog[1].title = "PWNED" -- <== reported line
  end,
}
