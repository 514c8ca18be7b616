-- Hostile rule: counter-string-metatable-stash
-- Tries to keep a counter in the string library (shared by every rule): must fail.
-- expect: kind=rule_error message~=string is read-only: cannot set string.calls line=8
return {
  id = "counter-string-metatable-stash",
  api = 1,
  evaluate = function(student, ctx)
    string.calls = (string.calls or 0) + 1 -- <== reported line
    return { { kind = "probe", action = "report", reason = "count=" .. string.calls } }
  end,
}
