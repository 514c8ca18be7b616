-- Hostile rule: terminal-c1-csi-reason
-- C1 controls written as UTF-8: U+009B (CSI, what ESC [ is in 8 bits) with "2J" after it, U+009D
-- (OSC) and U+0085 (next line). Terminals that act on C1 controls would clear the screen.
-- expect: clean reason~=c1
return {
  id = "terminal-c1-csi-reason",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "probe", action = "report", reason = "c1 \u{9B}2J \u{9D}0;title\u{9C} \u{85}next" } }
  end,
}
