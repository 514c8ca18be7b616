-- Hostile rule: poison-setmetatable-env
-- Changes the metatable of its own environment to reach the shared one.
-- expect: kind=rule_error message~=cannot change a protected metatable line=8
return {
  id = "poison-setmetatable-env",
  api = 1,
  evaluate = function(student, ctx)
    setmetatable(_ENV, { __index = function() return "PWNED" end }) -- <== reported line
  end,
}
