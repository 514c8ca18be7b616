-- Hostile rule: load-syntax-error
-- A syntax error: the pack must not load, naming the file and line.
-- expect: load_error message~=unexpected symbol near '=' line=7
return {
  id = "load-syntax-error",
  evaluate = function(student, ctx)
    local x = = 1 -- <== reported line
  end,
}
