-- Hostile rule: leak-constant-coroutine-thread
-- A suspended coroutine (a thread value) kept inside a nested constant: resuming it per student
-- would carry its locals across students.
-- expect: load_error message~=levels.worker is a thread line=11
local thread = coroutine.create(function(name)
  local names = name
  while true do
    names = names .. "," .. coroutine.yield(names)
  end
end)
local C = trellis.constant({ levels = { worker = thread } })
return { id = "leak-constant-coroutine-thread", api = 1, evaluate = function(student)
  local _, seen = coroutine.resume(C.levels.worker, tostring(student.name))
  return { { kind = "probe", action = "x", reason = "seen: " .. tostring(seen) } }
end }
