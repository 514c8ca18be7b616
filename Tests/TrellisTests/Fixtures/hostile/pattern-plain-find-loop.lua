-- Hostile rule: pattern-plain-find-loop
-- A plain find of 20,000 a's then a b in 4,000,000 a's: every position is a candidate, and each
-- compares 20,000 bytes. The old estimate refused this one call; a loop of calls just under it
-- ran for seconds. Each candidate and each block of bytes compared is charged now.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=11
return {
  id = "pattern-plain-find-loop",
  evaluate = function(student, ctx)
    local haystack, needle = string.rep("a", 4e6), string.rep("a", 20000) .. "b"
    for i = 1, 1e9 do
      local found = string.find(haystack, needle, 1, true) -- <== reported line
    end
  end,
}
