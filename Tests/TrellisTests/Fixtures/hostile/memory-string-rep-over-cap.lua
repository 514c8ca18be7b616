-- Hostile rule: memory-string-rep-over-cap
-- string.rep of a gigabyte (which Lua itself allows): the buffer it asks for is larger than the
-- whole memory cap, refused before a byte is copied, and reported as the memory limit even though
-- Lua asks for a buffer only once (no second request after a collection).
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "memory-string-rep-over-cap",
  evaluate = function(student, ctx)
    local gigabyte = string.rep("x", 1e9)
  end,
}
