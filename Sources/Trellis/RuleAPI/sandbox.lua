-- Builds the environment every rule runs in. Run once per Lua state, with the state's own
-- globals (base, string, table, math, utf8, coroutine and os are opened). Receives the helper
-- library and the memory cap in bytes; returns the metatable of a rule's environment.
--
-- A rule gets fresh globals for every student: the engine makes a new table whose
-- metatable is the one returned here, so reads fall through to the shared, read-only base.
local helpers, memory_limit = ...

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

-- The C functions below run without the instruction hook, so their cost is bounded before
-- they start. Lua's pattern matcher backtracks: a subject of n characters and q unbounded
-- quantifiers (* + -) can take about n^(q+1)/(q+1)! steps (n^q/q! anchored with ^), which is
-- measured at roughly 10^8 steps a second. A call whose bound is above PATTERN_STEPS is refused.
local PATTERN_STEPS = 1e7

local function quantifiers(pattern)
  local count, i, n = 0, 1, #pattern
  local byte = string.byte
  while i <= n do
    local c = byte(pattern, i)
    if c == 37 then                                   -- %x, or %bxy
      i = i + (byte(pattern, i + 1) == 98 and 4 or 2)
    elseif c == 91 then                               -- [set]: skip to its closing ]
      i = i + 1
      if byte(pattern, i) == 94 then i = i + 1 end
      if byte(pattern, i) == 93 then i = i + 1 end
      while i <= n and byte(pattern, i) ~= 93 do
        i = i + (byte(pattern, i) == 37 and 2 or 1)
      end
      i = i + 1
    else
      if i > 1 and (c == 42 or c == 43 or c == 45) then count = count + 1 end
      i = i + 1
    end
  end
  return count
end

local function factorial(k)
  local f = 1
  for j = 2, k do f = f * j end
  return f
end

local function check_pattern(name, subject, pattern, init, plain)
  if plain or type(subject) ~= "string" or type(pattern) ~= "string" then return end
  local q = quantifiers(pattern)
  if q == 0 then return end
  local n = #subject
  if math.type(init) == "integer" then
    n = init > 0 and n - init + 1 or (init < 0 and math.min(-init, n) or n)
  end
  local exponent = q + (pattern:sub(1, 1) == "^" and 0 or 1)
  if n > 0 and n ^ exponent / factorial(exponent) > PATTERN_STEPS then
    error(string.format("string.%s: pattern %q with %d repetitions is too costly on %d characters "
      .. "(it may backtrack about %.0e steps; the limit is %.0e)", name, pattern, q, n,
      n ^ exponent / factorial(exponent), PATTERN_STEPS), 3)
  end
end

local find, match, gmatch, gsub, rep = string.find, string.match, string.gmatch, string.gsub, string.rep
-- Varargs keep the library's own argument errors ("got no value") intact.
safe_string.find = function(...)
  check_pattern("find", ...)
  return find(...)
end
safe_string.match = function(...)
  check_pattern("match", ...)
  return match(...)
end
safe_string.gmatch = function(...)
  check_pattern("gmatch", ...)
  return gmatch(...)
end
safe_string.gsub = function(s, pattern, ...)
  check_pattern("gsub", s, pattern)
  return gsub(s, pattern, ...)
end
-- string.rep("", 1e15) would spin in C for hours, and a result larger than the memory cap is
-- known to fail before a byte is copied.
safe_string.rep = function(...)
  local s, n, sep = ...
  local kind = type(s)
  if (kind == "string" or kind == "number") and math.type(n) and n > 0 then
    local unit = #tostring(s) + ((type(sep) == "string" or type(sep) == "number") and #tostring(sep) or 0)
    if unit == 0 then return "" end
    if memory_limit > 0 and unit * n > memory_limit then
      error(string.format("string.rep would build a string of %.0f bytes, more than the %d MB a rule may use",
        unit * n, memory_limit // 1048576), 2)
    end
  end
  return rep(...)
end

-- rawset, io, debug, package, require, load, dofile and loadfile are left out (and most of
-- os): rawset would write through the read-only proxies that every rule shares.
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
  -- math.random's state would outlive a student: results would depend on who came before.
  math = read_only("math", copy_without(math, { random = true, randomseed = true })),
  utf8 = read_only("utf8", copy_without(utf8, {})),
  -- Coroutines inherit the instruction hook, so they cannot escape the budget.
  coroutine = read_only("coroutine", copy_without(coroutine, {})),
  -- A clock and dates only: no files, processes, environment or exit.
  os = read_only("os", { time = os.time, date = os.date, difftime = os.difftime, clock = os.clock }),
  trellis = deep_read_only("trellis", helpers),
}

-- Every string shares one metatable whose __index is the real string library: point it at
-- the safe copy and hide it, so that ("").dump and getmetatable("").__index are closed.
local string_metatable = getmetatable("")
string_metatable.__index = safe_string
string_metatable.__metatable = false

return { __index = read_only("the global environment", base), __metatable = false }
