-- Hostile rule: error-tostring-errors
-- Raises a table whose __tostring raises an error itself.
-- expect: kind=rule_error message~=error value is a table whose __tostring failed line=8
return {
  id = "error-tostring-errors",
  api = 1,
  evaluate = function(student, ctx)
    error(setmetatable({}, { __tostring = function() error("no text for you") end })) -- <== reported line
  end,
}
