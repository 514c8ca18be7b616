-- Hostile rule: leak-rawnext-pairs-empty
-- pairs({}) used to hand out Lua's raw next, which walks a proxy's own (empty) table and, for
-- the light proxies of class-level rules, yields the hidden key and the real, writable table.
-- In the sandbox pairs({}) gives the sandbox's next, and nothing it returns is writable.
-- expect: clean reason~=blocked same=true
return { id = "leak-rawnext-pairs-empty", api = 1, evaluate = function(student)
  local iterate = pairs({})
  local writable = 0
  local function try(t)
    if type(t) == "table" then
      if pcall(function() t.id = "rewritten" end) then writable = writable + 1 end
      if pcall(function() t.trials = 0 end) then writable = writable + 1 end
    end
  end
  for _, value in iterate, student do try(value) end
  for _, value in iterate, student.skills do try(value) end
  for _, value in iterate, student.skills[1].sessions do try(value) end
  local first = iterate(setmetatable({}, {}))
  return { { kind = "probe", action = "x",
    reason = (writable == 0 and "blocked" or ("writable " .. writable)) .. " same=" .. tostring(iterate == next)
      .. " first=" .. tostring(first) } }
end }
