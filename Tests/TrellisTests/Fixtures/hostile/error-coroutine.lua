-- Hostile rule: error-coroutine
-- Raises a coroutine (a thread) as the error value.
-- expect: kind=rule_error message~=error raised with a thread value line=8
return {
  id = "error-coroutine",
  api = 1,
  evaluate = function(student, ctx)
    error(coroutine.create(function() end)) -- <== reported line
  end,
}
