-- Hostile rule: c-cost-pcall-loop
-- A costly C call under pcall in an endless loop: once the deadline passes, the error raised at
-- the next instruction must not be swallowed, whatever catches it.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-pcall-loop",
  evaluate = function(student, ctx)
    local s = string.rep("a", 6e6)
    while true do pcall(utf8.len, s) end
  end,
}
