-- Hostile rule: c-cost-utf8-len-loop
-- utf8.len over 6 MB in a loop: each call is one instruction for the hook, and takes milliseconds
-- in C. With the deadline checked once per 1,000 instructions, this ran 15-19 times past its time
-- limit (28 MB: 15-19 s against 1,000 ms); the watchdog now stops it at the next instruction.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-utf8-len-loop",
  evaluate = function(student, ctx)
    local s = string.rep("a", 6e6)
    for i = 1, 1e9 do utf8.len(s) end
  end,
}
