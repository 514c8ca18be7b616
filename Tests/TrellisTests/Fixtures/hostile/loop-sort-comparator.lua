-- Hostile rule: loop-sort-comparator
-- An infinite loop inside a table.sort comparator (Lua called from C).
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-sort-comparator",
  api = 1,
  evaluate = function(student, ctx)
    table.sort({ 3, 2, 1 }, function(a, b) while true do end end)
  end,
}
