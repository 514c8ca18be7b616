-- Hostile rule: terminal-escape-in-skill
-- Escapes in the fields the table shows besides the reason: skill, from and to (a custom kind
-- has no ladder), and an option id.
-- expect: clean reason~=fields
return {
  id = "terminal-escape-in-skill",
  api = 1,
  evaluate = function(student, ctx)
    return {
      { skill = "\27[31mred", kind = "probe", action = "move", from = "a\27[1A", to = "b\7", reason = "fields" },
      { skill = "hand-washing", kind = "menu", action = "offer", options = { { id = "x\27]0;t\7" } }, reason = "fields too" },
    }
  end,
}
