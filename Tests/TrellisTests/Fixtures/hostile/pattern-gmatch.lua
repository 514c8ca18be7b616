-- Hostile rule: pattern-gmatch
-- The blow-up through string.gmatch with captures.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=9
return {
  id = "pattern-gmatch",
  api = 1,
  evaluate = function(student, ctx)
    local s = string.rep("a", 150)
    for a, b in string.gmatch(s, "(.-)(.-).-.-b") do end -- <== reported line
  end,
}
