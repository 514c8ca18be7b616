-- Hostile rule: leak-constant-pairs-metamethod
-- A table whose __pairs hands trellis.constant a mutable table as a key (or a closure as a
-- value), and whose __index pretends to hold more: a constant copies the table's own entries
-- only, so nothing of that survives into it and every student starts clean.
-- expect: clean reason~=previous: none
local box = {}
local source = setmetatable({ plain = 1 }, {
  __pairs = function()
    local done = false
    return function()
      if done then return nil end
      done = true
      return box, function() return box end
    end, nil, nil
  end,
  __index = function() return box end,
})
local C = trellis.constant(source)
return { id = "leak-constant-pairs-metamethod", api = 1, evaluate = function(student)
  local previous = "none"
  for k, v in pairs(C) do
    if type(k) == "table" then previous = tostring(k.prev); k.prev = student.id end
    if type(v) == "function" then previous = tostring(v().prev); v().prev = student.id end
  end
  local extra = C.missing
  if type(extra) == "table" then previous = tostring(extra.prev); extra.prev = student.id end
  return { { kind = "probe", action = "x", reason = "previous: " .. previous .. " plain=" .. tostring(C.plain) } }
end }
