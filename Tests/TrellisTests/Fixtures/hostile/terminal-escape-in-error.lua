-- Hostile rule: terminal-escape-in-error
-- An error message that retitles the window and fakes a line of its own: error messages reach
-- standard error, so they are escaped too.
-- expect: kind=rule_error message~=]0;pwned line=10
return {
  id = "terminal-escape-in-error",
  api = 1,
  evaluate = function(student, ctx)
    -- The message is kept as the rule wrote it; only its display is escaped.
    error("\27]0;pwned\7\n3 students, 0 recommendations, 0 with errors\27[2K") -- <== reported line
  end,
}
