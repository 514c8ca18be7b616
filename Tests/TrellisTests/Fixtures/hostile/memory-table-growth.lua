-- Hostile rule: memory-table-growth
-- A table that grows without end.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "memory-table-growth",
  api = 1,
  evaluate = function(student, ctx)
    local t = {}
    for i = 1, 1e9 do t[i] = { i, i, i, i } end
  end,
}
