-- Hostile rule: return-prompt-jump
-- Returns kind = "prompt" with an action (jump) that kind does not have.
-- expect: kind=invalid_recommendation message~=a prompt recommendation's action is one of fade, step_back, hold, mastered, not "jump"
return {
  id = "return-prompt-jump",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "prompt", action = "jump", from = "gestural", reason = "skip ahead" } }
  end,
}
