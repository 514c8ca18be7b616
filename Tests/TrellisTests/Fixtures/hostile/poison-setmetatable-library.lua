-- Hostile rule: poison-setmetatable-library
-- Puts a metatable on the shared string library proxy.
-- expect: kind=rule_error message~=cannot change a protected metatable line=8
return {
  id = "poison-setmetatable-library",
  api = 1,
  evaluate = function(student, ctx)
    setmetatable(string, { __index = function() return function() return "PWNED" end end }) -- <== reported line
  end,
}
