-- Hostile rule: leak-pairs-string-library
-- pairs(string) runs the read-only proxy's __pairs, which returns the real table behind it as the
-- state; the rule writes a new upper into it (the same table is the string metatable's __index),
-- so every rule of every later student would see the poisoned function.
-- expect: clean reason~=upper=X
return {
  id = "leak-pairs-string-library",
  api = 1,
  evaluate = function(student, ctx)
    local before = string.upper("x")
    pcall(function()
      local _, real = pairs(string)
      real.upper = function() return "PWNED" end
    end)
    return { { kind = "probe", action = "report", reason = "upper=" .. before } }
  end,
}
