-- Hostile rule: pattern-balance-bypass
-- %b() scans to the end of the subject from every start position (n^2/2 steps, no quantifier in
-- sight): a million ( characters is about 5*10^11 steps in C.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=9
return {
  id = "pattern-balance-bypass",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(string.rep("(", 1000000), "%b()") -- <== reported line
  end,
}
