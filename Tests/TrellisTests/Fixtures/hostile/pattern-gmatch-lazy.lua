-- Hostile rule: pattern-gmatch-lazy
-- The blow-up in gmatch's iterator, which matches when it is called, not when gmatch is.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=8
return {
  id = "pattern-gmatch-lazy",
  evaluate = function(student, ctx)
    local n = 0
    for word in string.gmatch(string.rep("a", 3000), ".-.-.-.-b") do -- <== reported line
      n = n + 1
    end
  end,
}
