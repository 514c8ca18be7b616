-- Hostile rule: terminal-osc-title-reason
-- A reason holding terminal escapes: an OSC sequence that retitles the window (ESC ] 0 ; ... BEL),
-- a screen clear (ESC [ 2 J) and a bell. The table and every terminal message must show them as
-- text, never send them to the terminal (the harness renders the table and checks).
-- expect: clean reason~=]0;pwned
return {
  id = "terminal-osc-title-reason",
  api = 1,
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "probe", action = "report", reason = "ok \27]0;pwned\7\27[2J\7 done" } }
  end,
}
