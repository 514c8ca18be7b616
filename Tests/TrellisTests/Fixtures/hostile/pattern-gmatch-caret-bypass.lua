-- Hostile rule: pattern-gmatch-caret-bypass
-- string.gmatch does not treat a leading ^ as an anchor (it matches a literal ^), but the
-- sandbox's old static estimate did, so "^.-b" over a million ^ characters passed as linear while
-- gmatch tries every position: about 5*10^11 steps in C. The matcher counts its steps now.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=11
return {
  id = "pattern-gmatch-caret-bypass",
  api = 1,
  evaluate = function(student, ctx)
    local s = string.rep("^", 1000000)
    for m in string.gmatch(s, "^.-b") do end -- <== reported line
  end,
}
