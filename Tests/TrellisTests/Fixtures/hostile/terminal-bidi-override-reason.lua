-- Hostile rule: terminal-bidi-override-reason
-- Bidirectional overrides (U+202E RIGHT-TO-LEFT OVERRIDE, U+2066..U+2069 isolates), which make
-- "hold" read as something else on screen, and the Unicode line and paragraph separators.
-- expect: clean reason~=bidi
return {
  id = "terminal-bidi-override-reason",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "probe", action = "report",
      reason = "bidi \u{202E}dloh\u{202C} \u{2066}x\u{2069} \u{200F}\u{2028}line\u{2029}para" } }
  end,
}
