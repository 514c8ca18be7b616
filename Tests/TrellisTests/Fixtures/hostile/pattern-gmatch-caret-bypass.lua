-- Hostile rule: pattern-gmatch-caret-bypass
-- string.gmatch does not treat a leading ^ as an anchor (it matches a literal ^), but the
-- sandbox's estimate does, so "^.-b" over a million ^ characters passes as linear while gmatch
-- tries every position: about 5*10^11 steps in C.
-- expect: kind=rule_error message~=too costly line=11
return {
  id = "pattern-gmatch-caret-bypass",
  api = 1,
  evaluate = function(student, ctx)
    local s = string.rep("^", 1000000)
    for m in string.gmatch(s, "^.-b") do end -- <== reported line
  end,
}
