-- Hostile rule: terminal-nul-reason
-- NUL, backspace, vertical tab, form feed and DEL in a reason, and in a custom kind and action:
-- each cell of the table shows them escaped.
-- expect: clean reason~=before
return {
  id = "terminal-nul-reason",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "pro\0be", action = "re\8\8port", reason = "before\0after\8\11\12\127end" } }
  end,
}
