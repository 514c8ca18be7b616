-- Hostile rule: c-loop-index-chain-unpack
-- table.unpack / string.gsub reading through a chain of 1,990 __index tables that ends in a C
-- function (rawlen): each element read walks the chain in C, and the library's own loop runs no
-- Lua instruction, so before the ports these ran 13-39 s per student with no error at all.
-- expect: kind=rule_error|rule_limit
return { id = "c-loop-index-chain-unpack", evaluate = function(student, ctx)
  local last = setmetatable({}, { __index = rawlen })
  local t = last
  for i = 1, 1990 do t = setmetatable({}, { __index = t }) end
  for i = 1, 20 do select('#', table.unpack(t, 1, 100000)) end
  return {{ note = "done" }}
end }
