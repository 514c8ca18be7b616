-- Hostile rule: pattern-gsub-lazy
-- gsub tries the pattern at every position: three lazy quantifiers that never match cost about
-- n^3/6 steps from each of 2,000 starts.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=8
return {
  id = "pattern-gsub-lazy",
  evaluate = function(student, ctx)
    local result = string.rep("a", 2000):gsub(".-.-.-b", "") -- <== reported line
  end,
}
