-- Hostile rule: poison-trellis-ladder-next
-- Replaces trellis.ladder.next for every rule.
-- expect: kind=rule_error message~=trellis.ladder is read-only: cannot set trellis.ladder.next line=8
return {
  id = "poison-trellis-ladder-next",
  api = 1,
  evaluate = function(student, ctx)
    trellis.ladder.next = function() return "independent" end -- <== reported line
  end,
}
