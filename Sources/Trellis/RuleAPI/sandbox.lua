-- Builds the environment every rule runs in. Run once per Lua state, with the state's own
-- globals (base, string, table, math, utf8, coroutine and os are opened). Receives one table
-- (TrellisLua's LuaState.loadSandbox) holding the helper library's source and the engine's C
-- functions by name; returns the metatable of a rule's environment.
--
-- The library functions that loop in C (table.concat, insert, move, remove, sort and unpack;
-- string.find, match, gmatch, gsub and rep; the coroutine functions and xpcall) are already the
-- engine's ports of Lua's own, which count every step against the rule's limits (CLuaShim's
-- Bounded*.c): the state's libraries hold them, so their errors read as Lua's.
--
-- A rule gets fresh globals for every student: the engine makes a new table whose
-- metatable is the one returned here, so reads fall through to the shared, read-only base.
local engine = ...

-- The handshake: every name the engine must pass, and those it may leave out (input_table, when
-- input is not read-only). A name missing or unknown is an error, so the sides cannot drift.
local function take(engine_table)
  local required = { "helpers_source", "setmetatable", "next", "pairs", "register_shared", "mark_read_only" }
  local known = { input_table = true }
  for _, name in ipairs(required) do
    if engine_table[name] == nil then error("the engine passed the sandbox no " .. name, 0) end
    known[name] = true
  end
  for name in pairs(engine_table) do
    if not known[name] then error("the engine passed the sandbox an unknown " .. tostring(name), 0) end
  end
  return engine_table.helpers_source, engine_table.setmetatable, engine_table.next, engine_table.register_shared,
    engine_table.mark_read_only, engine_table.input_table, engine_table.pairs
end
local helpers_source, safe_setmetatable, safe_next, register_shared, mark_read_only, input_table, safe_pairs =
  take(engine)

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

-- Lua's messages name a C function by where the state's own libraries hold it ("bad argument #1 to
-- 'setmetatable'"): the sandbox's versions take the originals' places there, out of rules' reach.
setmetatable, next, pairs = safe_setmetatable, safe_next, safe_pairs

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
  xpcall = xpcall,                    -- past a limit, the rule's handler is not called
  string = read_only("string", safe_string),
  table = read_only("table", copy_without(table, {})),
  -- math.random's state would outlive a student: results would depend on who came before.
  math = read_only("math", copy_without(math, { random = true, randomseed = true })),
  utf8 = read_only("utf8", copy_without(utf8, {})),
  -- Coroutines are hooked before they run, so they cannot escape the budget.
  coroutine = read_only("coroutine", copy_without(coroutine, {})),
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
