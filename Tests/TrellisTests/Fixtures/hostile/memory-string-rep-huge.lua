-- Hostile rule: memory-string-rep-huge
-- string.rep with a huge count: refused before a byte is copied.
-- expect: kind=rule_error message~=string.rep would build a string of 1000000000000 bytes line=8
return {
  id = "memory-string-rep-huge",
  api = 1,
  evaluate = function(student, ctx)
    local bomb = string.rep("x", 1e12) -- <== reported line
  end,
}
