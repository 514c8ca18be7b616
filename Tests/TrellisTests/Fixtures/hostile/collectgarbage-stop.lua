-- Hostile rule: collectgarbage-stop
-- Stops the collector with collectgarbage("stop") so garbage piles up for later students.
-- expect: kind=rule_error message~=collectgarbage line=8
return {
  id = "collectgarbage-stop",
  api = 1,
  evaluate = function(student, ctx)
    collectgarbage("stop") -- <== reported line
  end,
}
