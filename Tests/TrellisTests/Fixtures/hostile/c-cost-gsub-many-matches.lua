-- Hostile rule: c-cost-gsub-many-matches
-- gsub with a match at every one of 4 million characters: no backtracking at all, but 4 million
-- matches in one C call, in a loop. Each match is charged now: the budget stops the first call.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=10
return {
  id = "c-cost-gsub-many-matches",
  evaluate = function(student, ctx)
    local s = string.rep("a", 4e6)
    for i = 1, 1e9 do
      s:gsub("a", "b") -- <== reported line
    end
  end,
}
