-- Hostile rule: pattern-quantifier-times-literal
-- One lazy quantifier followed by 4,410 literal characters, on 4,400 characters: each of the old
-- static cost estimates passed on its own (about 10^7 ways to place the quantifier, about 2*10^7 literal
-- comparisons), but every placement compares the literal part again: about 1.4*10^10 steps in C, a
-- minute or more.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=11
return {
  id = "pattern-quantifier-times-literal",
  api = 1,
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 4400), ".-" .. string.rep("a", 4410) .. "b") -- <== reported line
  end,
}
