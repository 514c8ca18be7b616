-- Hostile rule: pattern-greedy-stars
-- Greedy stars backtrack as much as lazy ones: each .* first runs to the end, then gives back
-- one character at a time.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=8
return {
  id = "pattern-greedy-stars",
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 3000), ".*.*.*.*b") -- <== reported line
  end,
}
