-- Hostile rule: pattern-balance-gsub
-- %b() in gsub over a million unbalanced ( characters: from every start it scans to the end.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=7
return {
  id = "pattern-balance-gsub",
  evaluate = function(student, ctx)
    local result = string.rep("(", 1000000):gsub("%b()", "") -- <== reported line
  end,
}
