-- Hostile rule: return-metamethod-list
-- Returns an empty table whose __index, __len and __pairs loop forever: read raw, it is an empty
-- list.
-- expect: clean
return {
  id = "return-metamethod-list",
  api = 1,
  evaluate = function(student, ctx)
    local trap = function() while true do end end
    return setmetatable({}, { __index = trap, __len = trap, __pairs = trap })
  end,
}
