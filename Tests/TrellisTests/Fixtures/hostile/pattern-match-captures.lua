-- Hostile rule: pattern-match-captures
-- Four lazy captures and no match on 3,000 characters: Lua's matcher backtracks through about
-- n^4/24 placements in one C call. Every step of the matcher is charged now.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=8
return {
  id = "pattern-match-captures",
  evaluate = function(student, ctx)
    local a, b, c, d = string.match(string.rep("a", 3000), "(.-)(.-)(.-)(.-)b") -- <== reported line
  end,
}
