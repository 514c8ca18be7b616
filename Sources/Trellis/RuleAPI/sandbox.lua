-- Builds the environment every rule runs in. Run once per Lua state, with the state's own
-- globals (only base, string, table, math and utf8 are opened). Receives the helper
-- library; returns the metatable of a rule's environment.
--
-- A rule gets fresh globals for every student: the engine makes a new table whose
-- metatable is the one returned here, so reads fall through to the shared, read-only base.
local helpers = ...

local function read_only(name, library)
  return setmetatable({}, {
    __index = library,
    __newindex = function(_, key)
      error(string.format("%s is read-only: cannot set %s.%s", name, name, tostring(key)), 2)
    end,
    __pairs = function() return next, library, nil end,
    __len = function() return #library end,
    __metatable = false,
  })
end

-- The helper library and its sub-tables, read-only all the way down.
local function deep_read_only(name, library)
  local fields = {}
  for key, value in pairs(library) do
    fields[key] = type(value) == "table" and deep_read_only(name .. "." .. key, value) or value
  end
  return read_only(name, fields)
end

local function copy_without(library, left_out)
  local copy = {}
  for key, value in pairs(library) do
    if not left_out[key] then copy[key] = value end
  end
  return copy
end

-- string.dump would hand out bytecode, which load would otherwise accept.
local safe_string = copy_without(string, { dump = true })

-- rawset, io, os, debug, package, require, load, dofile and loadfile are left out: rawset
-- would write through the read-only proxies that every rule shares.
local base = {
  _VERSION = _VERSION,
  assert = assert,
  error = error,
  getmetatable = getmetatable,
  ipairs = ipairs,
  next = next,
  pairs = pairs,
  pcall = pcall,
  rawequal = rawequal,
  rawget = rawget,
  rawlen = rawlen,
  select = select,
  setmetatable = setmetatable,
  tonumber = tonumber,
  tostring = tostring,
  type = type,
  xpcall = xpcall,
  collectgarbage = function(option)
    if option == nil or option == "count" then return collectgarbage("count") end
    error("collectgarbage: only \"count\" is available to rules", 2)
  end,
  string = read_only("string", safe_string),
  table = read_only("table", copy_without(table, {})),
  math = read_only("math", copy_without(math, {})),
  utf8 = read_only("utf8", copy_without(utf8, {})),
  trellis = deep_read_only("trellis", helpers),
}

-- Every string shares one metatable whose __index is the real string library: point it at
-- the safe copy and hide it, so that ("").dump and getmetatable("").__index are closed.
local string_metatable = getmetatable("")
string_metatable.__index = safe_string
string_metatable.__metatable = false

return { __index = read_only("the global environment", base), __metatable = false }
