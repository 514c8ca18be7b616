-- Hostile rule: poison-string-upper
-- Replaces string.upper for every rule.
-- expect: kind=rule_error message~=string is read-only: cannot set string.upper line=8
return {
  id = "poison-string-upper",
  api = 1,
  evaluate = function(student, ctx)
    string.upper = function() return "PWNED" end -- <== reported line
  end,
}
