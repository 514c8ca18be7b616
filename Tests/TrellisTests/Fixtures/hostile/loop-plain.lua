-- Hostile rule: loop-plain
-- A plain infinite loop in evaluate: the instruction budget must stop it.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=8
return {
  id = "loop-plain",
  api = 1,
  evaluate = function(student, ctx)
    while true do end -- <== reported line
  end,
}
