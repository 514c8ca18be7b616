-- Hostile rule: memory-table-concat
-- table.concat of a table of big strings: building the result runs out of memory in C.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "memory-table-concat",
  api = 1,
  evaluate = function(student, ctx)
    local parts = {}
    for i = 1, 100 do parts[i] = string.rep(string.char(65 + i % 26), 100000) end
    local joined = table.concat(parts, string.rep("-", 100000))
  end,
}
