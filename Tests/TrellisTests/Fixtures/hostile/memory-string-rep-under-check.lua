-- Hostile rule: memory-string-rep-under-check
-- A string.rep (method syntax) small enough to pass the up-front size check but too big once
-- copied.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "memory-string-rep-under-check",
  api = 1,
  evaluate = function(student, ctx)
    local big = ("ab"):rep(6e6)
  end,
}
