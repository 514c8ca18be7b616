-- Builds the environment every rule runs in. Run once per Lua state, with the state's own
-- globals (base, string, table, math, utf8, coroutine and os are opened). Receives the helper
-- library's source, the memory cap in bytes and the engine's C functions; returns the metatable
-- of a rule's environment.
--
-- A rule gets fresh globals for every student: the engine makes a new table whose
-- metatable is the one returned here, so reads fall through to the shared, read-only base.
local helpers_source, memory_limit, safe_setmetatable, charge_resume, limit_reached, hook_coroutine, safe_next,
  register_shared, mark_read_only, input_table, safe_pairs = ...

-- The sandbox's read-only tables (the libraries, `trellis`, constants), and the functions every
-- rule shares: what trellis.constant may keep as it is.
local read_only_tables = setmetatable({}, { __mode = "k" })
local shared_functions = {}

-- Every read-only table's metatable is marked: a rule whose module-level locals hold only such
-- tables (and values that cannot change) need not run afresh for each student.
local function read_only(name, library)
  local proxy = setmetatable({}, mark_read_only({
    __index = library,
    __newindex = function(_, key)
      error(string.format("%s is read-only: cannot set %s.%s", name, name, tostring(key)), 2)
    end,
    -- The iterator closes over the library: handing it out as pairs' state would let a rule
    -- write to it.
    __pairs = function()
      return function(_, key) return next(library, key) end, nil, nil
    end,
    __len = function() return #library end,
    __metatable = false,
  }))
  read_only_tables[proxy] = true
  return proxy
end

-- When a limit stops a rule, Lua calls xpcall's message handler from inside the hook, where
-- hooks are off: a handler that loops would never be stopped. Past a limit it is not called.
local function safe_xpcall(f, handler, ...)
  return xpcall(f, function(message)
    if limit_reached() then return message end
    return handler(message)
  end, ...)
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

-- table.move, insert and remove loop in C over a range or over #t, which a rule's own __len can
-- make as large as it likes (and change between two calls); no hook runs inside. These ports of
-- the library's functions (ltablib.c, Lua 5.4) loop in Lua, where every step is counted.
local safe_table = copy_without(table, {})
local sort, tointeger = table.sort, math.tointeger

local function integer_argument(value, position, name, default)
  if value == nil and default ~= nil then return default end
  local number = tointeger(tonumber(value))
  if number == nil then
    error(string.format("bad argument #%d to '%s' (number has no integer representation)", position, name), 3)
  end
  return number
end

safe_table.move = function(a1, f, e, t, a2)
  f = integer_argument(f, 2, "move")
  e = integer_argument(e, 3, "move")
  t = integer_argument(t, 4, "move")
  local destination = a2 == nil and a1 or a2
  if e >= f then
    if not (f > 0 or e < math.maxinteger + f) then error("bad argument #3 to 'move' (too many elements to move)", 2) end
    local n = e - f + 1
    if t > math.maxinteger - n + 1 then error("bad argument #4 to 'move' (destination wrap around)", 2) end
    if t > e or t <= f or destination ~= a1 then
      for i = 0, n - 1 do destination[t + i] = a1[f + i] end
    else
      for i = n - 1, 0, -1 do destination[t + i] = a1[f + i] end
    end
  end
  return destination
end

safe_table.insert = function(t, ...)
  local count = select("#", ...)
  local size = #t
  if count == 1 then
    t[size + 1] = ...
    return
  end
  if count ~= 2 then error("wrong number of arguments to 'insert'", 2) end
  local position, value = ...
  position = integer_argument(position, 2, "insert")
  if position < 1 or position > size + 1 then error("bad argument #2 to 'insert' (position out of bounds)", 2) end
  for i = size + 1, position + 1, -1 do t[i] = t[i - 1] end
  t[position] = value
end

safe_table.remove = function(t, position)
  local size = #t
  position = integer_argument(position, 2, "remove", size)
  if position ~= size and (position < 1 or position > size + 1) then
    error("bad argument #2 to 'remove' (position out of bounds)", 2)
  end
  local removed = t[position]
  while position < size do
    t[position] = t[position + 1]
    position = position + 1
  end
  t[position] = nil
  return removed
end

-- concat and unpack read every element in C, through a table's __index (which may be a chain of
-- 2,000 tables ending in a C function): the elements are copied out in Lua, where each step is
-- counted, and the C function then works on a plain table whose size is real.
local concat, unpack = table.concat, table.unpack
safe_table.concat = function(list, separator, first, last)
  first = integer_argument(first, 3, "concat", 1)
  last = integer_argument(last, 4, "concat", #list)
  local copy = {}
  for i = first, last do
    local value = list[i]
    local kind = type(value)
    if kind ~= "string" and kind ~= "number" then
      error(string.format("invalid value (at index %d) in table for 'concat'", i), 2)
    end
    copy[#copy + 1] = value
  end
  return concat(copy, separator)
end
safe_table.unpack = function(list, first, last)
  first = integer_argument(first, 2, "unpack", 1)
  last = integer_argument(last, 3, "unpack", #list)
  if last - first >= 1000000 then error("too many results to unpack", 2) end
  local copy = {}
  for i = first, last do copy[i - first + 1] = list[i] end
  return unpack(copy, 1, last - first + 1)
end

-- sort runs in C and reads and writes through a table's metamethods, which may be C functions
-- too: a table with a metatable is sorted as a plain copy, made and written back in Lua.
safe_table.sort = function(t, comparator)
  if type(t) == "table" and getmetatable(t) == nil then return sort(t, comparator) end
  local n = #t
  local copy = {}
  for i = 1, n do copy[i] = t[i] end
  sort(copy, comparator)
  for i = 1, n do t[i] = copy[i] end
end

-- Every coroutine starts with a fresh hook count, so one that runs fewer instructions than the
-- hook's grain would never be counted: each resume is charged a grain up front.
-- The main thread's hook may be armed late (by the engine's watchdog, once a call has run for a
-- millisecond); a coroutine hooks itself first thing, so a loop inside one is always counted.
local safe_coroutine = copy_without(coroutine, {})
local create, resume, wrap = coroutine.create, coroutine.resume, coroutine.wrap
local function hooked(f)
  if type(f) ~= "function" then return f end
  return function(...)
    hook_coroutine()
    return f(...)
  end
end
safe_coroutine.create = function(f)
  return create(hooked(f))
end
safe_coroutine.resume = function(...)
  charge_resume()
  return resume(...)
end
safe_coroutine.wrap = function(f)
  local resume_wrapped = wrap(hooked(f))
  return function(...)
    charge_resume()
    return resume_wrapped(...)
  end
end

-- string.dump would hand out bytecode, which load would otherwise accept.
local safe_string = copy_without(string, { dump = true })

-- The C functions below run without the instruction hook, so their cost is bounded before
-- they start. Lua's pattern matcher backtracks: a subject of n characters and q quantifiers
-- (* + - ?) can try about C(n + q + 1, q + 1) placements (C(n + q, q) anchored with ^), each
-- comparing up to the pattern's length m again; measured at roughly 10^8 to 10^9 comparisons a
-- second. A call whose bound C(...) * m is above PATTERN_STEPS is refused.
local PATTERN_STEPS = 1e8
-- Byte comparisons run at about 10^10 a second.
local LITERAL_STEPS = 1e9

local function quantifiers(pattern)
  local count, i, n = 0, 1, #pattern
  local byte = string.byte
  while i <= n do
    local c = byte(pattern, i)
    if c == 37 then                                   -- %x, or %bxy (which scans ahead)
      if byte(pattern, i + 1) == 98 then
        count = count + 1
        i = i + 4
      else
        i = i + 2
      end
    elseif c == 91 then                               -- [set]: skip to its closing ]
      i = i + 1
      if byte(pattern, i) == 94 then i = i + 1 end
      if byte(pattern, i) == 93 then i = i + 1 end
      while i <= n and byte(pattern, i) ~= 93 do
        i = i + (byte(pattern, i) == 37 and 2 or 1)
      end
      i = i + 1
    else
      -- * + - and ? after an item: ? is bounded, but k of them still backtrack 2^k ways.
      if i > 1 and (c == 42 or c == 43 or c == 45 or c == 63) then count = count + 1 end
      i = i + 1
    end
  end
  return count
end

-- Ways to spread n characters over k repetitions: C(n + k, k), in floating point (it overflows
-- integers long before it matters). About n^k/k! while k is small next to n.
local function spreads(n, k)
  local ways = 1.0
  for j = 1, k do ways = ways * (n + j) / j end
  return ways
end

local function check_pattern(name, subject, pattern, init, plain)
  -- The library converts numbers to strings, so a number is a subject (and a pattern) too.
  if type(subject) == "number" then subject = tostring(subject) end
  if type(pattern) == "number" then pattern = tostring(pattern) end
  if type(subject) ~= "string" or type(pattern) ~= "string" then return end
  local n = #subject
  init = tointeger(tonumber(init))
  if init then
    n = init > 0 and n - init + 1 or (init < 0 and math.min(-init, n) or n)
  end
  -- Comparing the pattern's text at every start: n * m byte comparisons, even for a plain find.
  if n > 0 and (n + 1) * #pattern > LITERAL_STEPS then
    error(string.format("string.%s: a pattern of %d characters is too costly on %d characters "
      .. "(about %.0e comparisons; the limit is %.0e)", name, #pattern, n, (n + 1) * #pattern, LITERAL_STEPS), 3)
  end
  if plain then return end
  -- The matcher compares character by character, some 30 times slower than a plain search, so
  -- even a pattern without repetitions is held to PATTERN_STEPS: (n + 1) * m.
  local q = quantifiers(pattern)
  -- ^ anchors find, match and gsub to one start; gmatch looks for every match anyway.
  local anchored = name ~= "gmatch" and pattern:sub(1, 1) == "^"
  -- Every way of placing the repetitions compares the rest of the pattern again.
  local steps = spreads(n, q + (anchored and 0 or 1)) * math.max(#pattern, 1)
  if n > 0 and steps > PATTERN_STEPS then
    local shown = #pattern > 40 and pattern:sub(1, 37) .. "..." or pattern
    error(string.format("string.%s: pattern %q with %d repetitions is too costly on %d characters "
      .. "(it may take about %.0e steps; the limit is %.0e)", name, shown, q, n, steps, PATTERN_STEPS), 3)
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
safe_string.gsub = function(s, pattern, replacement, ...)
  check_pattern("gsub", s, pattern)
  -- A table replacement is read in C for every match, through any __index chain: look it up
  -- from Lua instead, where each lookup is counted.
  if type(replacement) == "table" then
    local lookup = replacement
    replacement = function(found) return lookup[found] end
  end
  return gsub(s, pattern, replacement, ...)
end
-- string.rep("", 1e15) would spin in C for hours, and a result larger than the memory cap is
-- known to fail before a byte is copied.
safe_string.rep = function(...)
  local s, n, sep = ...
  local kind = type(s)
  n = tointeger(tonumber(n))
  if (kind == "string" or kind == "number") and n and n > 0 then
    local unit = #tostring(s) + ((type(sep) == "string" or type(sep) == "number") and #tostring(sep) or 0)
    if unit == 0 then return "" end
    if memory_limit > 0 and unit * n > memory_limit then
      error(string.format("string.rep would build a string of %.0f bytes, more than the %d MB a rule may use",
        unit * n, memory_limit // 1048576), 2)
    end
  end
  return rep(...)
end

-- rawset, io, debug, package, require, load, dofile, loadfile and collectgarbage are left out
-- (and most of os): rawset would write through the read-only proxies that every rule shares, and
-- collectgarbage("count") would tell a rule how much garbage the students before it left.
local base = {
  _VERSION = _VERSION,
  assert = assert,
  error = error,
  getmetatable = getmetatable,
  ipairs = ipairs,
  next = safe_next,                   -- over a read-only input table, the entries it stands for
  pairs = safe_pairs,                 -- never hands out Lua's raw next (it would see behind proxies)
  pcall = pcall,
  rawequal = rawequal,
  rawget = rawget,
  rawlen = rawlen,
  select = select,
  setmetatable = safe_setmetatable,   -- refuses __gc (a finalizer would run during another student)
  tonumber = tonumber,
  tostring = tostring,
  type = type,
  xpcall = safe_xpcall,
  string = read_only("string", safe_string),
  table = read_only("table", safe_table),
  -- math.random's state would outlive a student: results would depend on who came before.
  math = read_only("math", copy_without(math, { random = true, randomseed = true })),
  utf8 = read_only("utf8", copy_without(utf8, {})),
  -- Coroutines inherit the instruction hook, so they cannot escape the budget.
  coroutine = read_only("coroutine", safe_coroutine),
  -- A clock and dates only: no files, processes, environment or exit.
  os = read_only("os", { time = os.time, date = os.date, difftime = os.difftime, clock = os.clock }),
}

-- Every string shares one metatable whose __index is the real string library: point it at
-- the safe copy and hide it, so that ("").dump and getmetatable("").__index are closed.
local string_metatable = getmetatable("")
string_metatable.__index = safe_string
string_metatable.__metatable = false

-- The helper library runs in the rules' own environment, so that it uses the same bounded
-- library functions when a rule hands it a table of its own.
-- trellis.constant's copy (the helpers cannot make read-only tables themselves). A rule that
-- keeps constants is reused from one student to the next (and, on a server, from one request to
-- the next), so a constant must hold nothing that can change or remember: its keys are strings,
-- numbers or booleans, its values those, nested constants (copied the same way), the sandbox's
-- read-only tables and shared functions. A table key, a rule's own function (a closure can count),
-- a coroutine or a userdata is refused, naming where it is. Tables are walked with the sandbox's
-- next, so an input table is copied for what it holds, and a rule's own __pairs or __index has
-- no say in what is kept.
local function describe_key(key)
  if type(key) == "string" and key:match("^[%a_][%w_]*$") then return "." .. key end
  return "[" .. (type(key) == "string" and string.format("%q", key) or tostring(key)) .. "]"
end

local function constant(value, depth, path)
  local kind = type(value)
  if kind == "nil" or kind == "boolean" or kind == "number" or kind == "string" then return value end
  if kind == "function" then
    if shared_functions[value] then return value end
    error(string.format("trellis.constant: %s is a function of the rule's own; a constant holds only values "
      .. "(a function can keep state from one student to the next: make it a file-level local function)", path), 0)
  end
  if kind ~= "table" then
    error(string.format("trellis.constant: %s is a %s; a constant holds only strings, numbers, booleans, "
      .. "tables of them and the engine's functions", path, kind), 0)
  end
  if read_only_tables[value] then return value end
  if depth > 32 then
    error("trellis.constant: nested more than 32 levels deep (a table that contains itself?)", 0)
  end
  local fields = {}
  local key, member = safe_next(value)
  while key ~= nil do
    local key_kind = type(key)
    if key_kind ~= "string" and key_kind ~= "number" and key_kind ~= "boolean" then
      error(string.format("trellis.constant: %s has a key that is a %s; a constant's keys are strings, "
        .. "numbers or booleans (a table key could be changed later)", path, key_kind), 0)
    end
    fields[key] = constant(member, depth + 1, path .. describe_key(key))
    key, member = safe_next(value, key)
  end
  return read_only("constant", fields)
end
-- input_table (nil when input is not read-only) sees through a read-only input table to the real
-- one: the helpers' loops read it without a metamethod per read. Only the helpers hold it (their
-- environment is out of every rule's reach), and they hand rules none of those real tables.
local helper_environment = setmetatable({
  read_only_copy = function(value) return constant(value, 0, "the table") end,
  input_table = input_table,
}, { __index = base })
local helpers = assert(load(helpers_source, "@trellis/helpers.lua", "t", helper_environment))()

base.trellis = deep_read_only("trellis", helpers)

-- Every function a rule can reach from its environment is shared by all rules and students: it is
-- registered, so that a rule's file-level local holding one is known to hold no state of its own.
local function register_functions(library, seen)
  if seen[library] then return end
  seen[library] = true
  for _, value in pairs(library) do
    if type(value) == "function" then
      shared_functions[value] = true
      register_shared(value)
    elseif type(value) == "table" then
      register_functions(value, seen)
    end
  end
end
register_functions(base, {})

-- Reads fall straight through to the base (one hop, not two, for every global a rule reads): the
-- metatable is hidden, so no rule can reach the base to write to it.
return { __index = base, __metatable = false }
