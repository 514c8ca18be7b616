-- Hostile rule: memory-pcall-swallow
-- String doubling inside pcall, then a normal return.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "memory-pcall-swallow",
  api = 1,
  evaluate = function(student, ctx)
    pcall(function() local s = "x" while true do s = s .. s end end)
    return { { kind = "escaped", action = "report", reason = "survived running out of memory" } }
  end,
}
