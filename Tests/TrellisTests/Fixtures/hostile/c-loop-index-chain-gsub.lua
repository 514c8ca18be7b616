-- Hostile rule: c-loop-index-chain-gsub
-- table.gsub / string.gsub reading through a chain of 1,990 __index tables that ends in a C
-- function (rawlen): each element read walks the chain in C, and the library's own loop runs no
-- Lua instruction, so before the ports these ran 13-39 s per student with no error at all.
-- expect: kind=rule_error|rule_limit
return { id = "c-loop-index-chain-gsub", evaluate = function(student, ctx)
  local t = setmetatable({}, { __index = rawlen })
  for i = 1, 1990 do t = setmetatable({}, { __index = t }) end
  local s = string.rep("a", 1000000)
  local r = string.gsub(s, "", t)
  return {{ note = "len " .. #r }}
end }
