-- Hostile rule: c-cost-string-rep-loop
-- string.rep building 6 MB, in a loop: each call copies 3 million times in C.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-string-rep-loop",
  evaluate = function(student, ctx)
    for i = 1, 1e9 do local s = ("ab"):rep(3e6) end
  end,
}
