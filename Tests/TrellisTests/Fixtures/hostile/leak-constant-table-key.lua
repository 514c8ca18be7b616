-- Hostile rule: leak-constant-table-key
-- A table used as a key of a constant is not copied: a reused evaluate could write the previous
-- students' names into it and read them back for the next student (or the next server request).
-- trellis.constant must refuse a key that is a table.
-- expect: load_error message~=has a key that is a table line=7
local box = {}
local C = trellis.constant({ [box] = true })
return { id = "leak-constant-table-key", api = 1, evaluate = function(student)
  for k in pairs(C) do
    local previous = k.prev
    k.prev = (previous and previous .. "," or "") .. student.id .. "=" .. tostring(student.name)
    return { { kind = "probe", action = "x", reason = "previous students: " .. tostring(previous) } }
  end
end }
