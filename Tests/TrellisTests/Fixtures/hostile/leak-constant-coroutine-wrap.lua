-- Hostile rule: leak-constant-coroutine-wrap
-- A coroutine.wrap generator kept inside a constant remembers what it was sent for every later
-- student.
-- expect: load_error message~=function of the rule's own line=12
local generator = coroutine.wrap(function(first)
  local names = first
  while true do
    local name = coroutine.yield(names)
    names = names .. "," .. name
  end
end)
local C = trellis.constant({ step = generator })
return { id = "leak-constant-coroutine-wrap", api = 1, evaluate = function(student)
  return { { kind = "probe", action = "x", reason = "seen: " .. C.step(tostring(student.name)) } }
end }
