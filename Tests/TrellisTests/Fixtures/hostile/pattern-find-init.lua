-- Hostile rule: pattern-find-init
-- A blow-up on a long subject, started from an init position near the start.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=8
return {
  id = "pattern-find-init",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 2000), "a-a-a-b", 2) -- <== reported line
  end,
}
