-- Hostile rule: error-huge-message
-- Raises an error whose message is a 3 MB string, for every student: a rule's output is capped at
-- 1 MB per student, and its error message is output too (in the report, and on the terminal).
-- expect: kind=rule_error max_message=1048576 line=9
return {
  id = "error-huge-message",
  api = 1,
  evaluate = function(student, ctx)
    error(string.rep("x", 3000000)) -- <== reported line
  end,
}
