-- Hostile rule: memory-string-rep-huge
-- string.rep with a huge count: refused before a byte is copied, with Lua's own message (a result
-- over 2 GB is "too large" for Lua itself).
-- expect: kind=rule_error message~=resulting string too large line=9
return {
  id = "memory-string-rep-huge",
  api = 1,
  evaluate = function(student, ctx)
    local bomb = string.rep("x", 1e12) -- <== reported line
  end,
}
