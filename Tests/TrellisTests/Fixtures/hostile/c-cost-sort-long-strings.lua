-- Hostile rule: c-cost-sort-long-strings
-- table.sort of 2,000 references to one 6 MB string: every comparison runs strcoll over the whole
-- string inside Lua's sort, in C, where no hook runs. Before the port it sorted for seconds past
-- any time limit (2,000 references to 28 MB: 52 s against 1,000 ms). Each comparison is now
-- charged for the bytes it compares.
-- expect: kind=rule_limit line=12
return {
  id = "c-cost-sort-long-strings",
  evaluate = function(student, ctx)
    local s, t = string.rep("a", 6e6), {}
    for i = 1, 2000 do t[i] = s end
    table.sort(t) -- <== reported line
  end,
}
