-- Hostile rule: loop-coroutine-resume-forever
-- Resumes fresh looping coroutines forever, ignoring every failure coroutine.resume reports.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-coroutine-resume-forever",
  api = 1,
  evaluate = function(student, ctx)
    while true do
      coroutine.resume(coroutine.create(function() while true do end end))
    end
  end,
}
