-- Hostile rule: leak-constant-read-only-key
-- Even a read-only table (another constant, a library) as a key is refused: its identity is all
-- a constant could keep, and the key rule stays simple.
-- expect: load_error message~=key that is a table line=6
local inner = trellis.constant({ a = 1 })
local C = trellis.constant({ [inner] = "x", [string] = "y" })
return { id = "leak-constant-read-only-key", api = 1, evaluate = function(student)
  return { { kind = "probe", action = "x", reason = tostring(next(C)) } }
end }
