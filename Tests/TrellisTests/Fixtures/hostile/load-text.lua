-- Hostile rule: load-text
-- Compiles new code at run time with load.
-- expect: kind=rule_error message~=attempt to call a nil value (global 'load') line=8
return {
  id = "load-text",
  api = 1,
  evaluate = function(student, ctx)
    local f = load("return 1") -- <== reported line
  end,
}
