-- Hostile rule: loop-constant-swallows-limit
-- trellis.constant copies under a pcall of its own (so that its error names the rule's line): a
-- rule makes that pcall catch the budget error, by copying a large table again and again inside
-- its own pcall too, hoping that both catches together let it run past the limit.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
local big = {}
for i = 1, 2000 do big[i] = { i, tostring(i) } end
return {
  id = "loop-constant-swallows-limit",
  api = 1,
  evaluate = function(student, ctx)
    local copies = 0
    while true do
      if pcall(trellis.constant, big) then copies = copies + 1 end
      pcall(trellis.constant, { nested = big, again = big })
    end
  end,
}
