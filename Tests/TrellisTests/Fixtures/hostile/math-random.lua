-- Hostile rule: math-random
-- Uses math.random, whose state would outlive a student.
-- expect: kind=rule_error message~=attempt to call a nil value (field 'random') line=8
return {
  id = "math-random",
  api = 1,
  evaluate = function(student, ctx)
    local roll = math.random(1, 6) -- <== reported line
  end,
}
