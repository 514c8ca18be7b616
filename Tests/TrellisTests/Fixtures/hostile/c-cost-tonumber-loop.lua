-- Hostile rule: c-cost-tonumber-loop
-- tonumber of 6 MB of spaces then a digit: the conversion skips every space, in C, each time.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-tonumber-loop",
  evaluate = function(student, ctx)
    local s = string.rep(" ", 6e6) .. "1"
    for i = 1, 1e9 do local n = tonumber(s) end
  end,
}
