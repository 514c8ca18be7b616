-- Hostile rule: c-cost-gsub-replacement-escapes
-- A replacement string of 500,000 "%1" escapes over empty captures: every match walks all of
-- them and writes nothing, so the memory cap never stops it (1,001 matches: 5*10^8 escapes in one
-- C call). The old static estimate passed it (one quantifier on 1,000 characters).
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=10
return {
  id = "c-cost-gsub-replacement-escapes",
  evaluate = function(student, ctx)
    local replacement = ("%1"):rep(500000)
    local result = ("a"):rep(1000):gsub("(b?)", replacement) -- <== reported line
  end,
}
