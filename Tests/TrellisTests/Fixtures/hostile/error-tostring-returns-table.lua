-- Hostile rule: error-tostring-returns-table
-- Raises a table whose __tostring returns a table instead of a string.
-- expect: kind=rule_error message~=error value is a table whose __tostring failed line=8
return {
  id = "error-tostring-returns-table",
  api = 1,
  evaluate = function(student, ctx)
    error(setmetatable({}, { __tostring = function() return {} end })) -- <== reported line
  end,
}
