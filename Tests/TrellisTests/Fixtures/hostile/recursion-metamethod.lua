-- Hostile rule: recursion-metamethod
-- Recursion through an __index metamethod, so every level is a C call: a C stack overflow.
-- expect: kind=rule_error message~=stack overflow
return {
  id = "recursion-metamethod",
  api = 1,
  evaluate = function(student, ctx)
    local looping = setmetatable({}, {})
    getmetatable(looping).__index = function(t, key) return t[key] end
    return looping.anything
  end,
}
