-- Hostile rule: poison-string-metatable
-- Reaches the shared string metatable with getmetatable("") to replace __index.
-- expect: kind=rule_error message~=attempt to index a boolean value line=8
return {
  id = "poison-string-metatable",
  api = 1,
  evaluate = function(student, ctx)
    getmetatable("").__index = { upper = function() return "PWNED" end } -- <== reported line
  end,
}
