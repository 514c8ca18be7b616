-- Splits one file of Lua 5.4's test suite into chunks, runs each in plain Lua with the globals a
-- rule has in Trellis's sandbox, and writes every chunk that runs there as a rule file, for
-- `trellis evaluate` to run inside the sandbox (see scripts/lua-testsuite.sh).
--
--   lua5.4 chunks.lua TESTFILE OUTDIR [KEPT_OUT]
--
-- A group is a run of top-level statements with no blank or comment line between them, or one top-level
-- `do ... end` block. Group k's chunk is the groups before it that ran (the "prefix": without
-- do-blocks, which the suite keeps self-contained, without groups that took long, and without the
-- groups whose first lines KEPT_OUT lists, comma-separated: those that differ in the sandbox,
-- so that one difference does not spread to every later chunk), then group k, with every other
-- line left blank, so line numbers stay the suite's. Prints one line per group:
--   <first line> <last line> ran|failed <file name of the rule, or the error>
local path, outdir, kept_out_list = ...
assert(path and outdir, "usage: lua5.4 chunks.lua TESTFILE OUTDIR [KEPT_OUT]")
local stem = path:match("([^/]+)%.lua$")

local kept_out = {}
for line in (kept_out_list or ""):gmatch("%d+") do kept_out[tonumber(line)] = true end

-- Trellis reads rule files as UTF-8 text; a few files of the suite have Latin-1 bytes, in short
-- strings and comments. Those bytes are written as \ddd escapes in strings (the same bytes) and as
-- '?' in comments, for both runs. (A long string with such bytes would stay as it is, and its
-- chunks would fail to load in Trellis: there is none in 5.4.4's suite.)
local function as_utf8(text)
  local out, i, n = {}, 1, #text
  local state, quote, level = "code", nil, nil
  local function plain_byte(at)
    local byte = text:byte(at)
    if byte < 0x80 then return 1 end
    if utf8.len(text, at, at) then return utf8.offset(text, 2, at) - at end
    return nil
  end
  while i <= n do
    local c = text:sub(i, i)
    if state == "code" then
      local opening = text:match("^%[(=*)%[", i)
      if c == "-" and text:sub(i, i + 1) == "--" then
        local long = text:match("^%-%-%[(=*)%[", i)
        if long then
          state, level = "long comment", long
          out[#out + 1] = "--[" .. long .. "["
          i = i + 4 + #long
        else
          state = "comment"
          out[#out + 1] = "--"
          i = i + 2
        end
      elseif opening then
        state, level = "long string", opening
        out[#out + 1] = "[" .. opening .. "["
        i = i + 2 + #opening
      elseif c == "'" or c == '"' then
        state, quote = "string", c
        out[#out + 1] = c
        i = i + 1
      else
        out[#out + 1] = c
        i = i + 1
      end
    else
      local closing = (state == "long comment" or state == "long string") and "]" .. level .. "]"
      if closing and text:sub(i, i + #closing - 1) == closing then
        out[#out + 1] = closing
        i = i + #closing
        state = "code"
      elseif state == "comment" and c == "\n" then
        out[#out + 1] = c
        i = i + 1
        state = "code"
      elseif state == "string" and c == "\\" then
        out[#out + 1] = text:sub(i, i + 1)
        i = i + 2
      elseif state == "string" and c == quote then
        out[#out + 1] = c
        i = i + 1
        state = "code"
      else
        local length = plain_byte(i)
        if length then
          out[#out + 1] = text:sub(i, i + length - 1)
          i = i + length
        else
          out[#out + 1] = state == "string" and string.format("\\%03d", text:byte(i)) or (state == "long string" and c or "?")
          i = i + 1
        end
      end
    end
  end
  return table.concat(out)
end

local source = assert(io.open(path, "rb")):read("a")
local lines = {}
for line in (as_utf8(source) .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = line end

-- Units: the shortest runs of whole lines that compile. Lua reports input that stops early
-- "near <eof>"; any other error means the line cannot start a statement (it is skipped).
local empty = string.dump(assert(load("")), true)
local units = {}
local i = 1
while i <= #lines do
  if lines[i]:match("^%s*$") then
    i = i + 1
  else
    local text, j, unit = lines[i], i, nil
    while true do
      local f, message = load(text, "=unit")
      if f then
        if string.dump(f, true) ~= empty then unit = { first = i, last = j } end
        break
      end
      if not message:find("<eof>", 1, true) or j == #lines then break end
      j = j + 1
      text = text .. "\n" .. lines[j]
    end
    if unit then
      unit.block = lines[i]:match("^do%f[%W]") ~= nil
      units[#units + 1] = unit
      i = j + 1
    elseif j == #lines or not load(text, "=unit") then
      i = i + 1
    else
      i = j + 1 -- comments only
    end
  end
end

-- Groups.
local groups = {}
for _, unit in ipairs(units) do
  local last = groups[#groups]
  if not last or unit.block or last.block or unit.first > last.last + 1 then
    groups[#groups + 1] = { first = unit.first, last = unit.last, block = unit.block }
  else
    last.last = unit.last
  end
end

-- The globals of a rule (sandbox.lua's base), as plain Lua has them; fresh for every chunk.
local function copy(library, without)
  local result = {}
  for key, value in pairs(library) do
    if not (without and without[key]) then result[key] = value end
  end
  return result
end
local function sandbox_globals()
  return {
    _VERSION = _VERSION, assert = assert, error = error, getmetatable = getmetatable, ipairs = ipairs,
    next = next, pairs = pairs, pcall = pcall, rawequal = rawequal, rawget = rawget, rawlen = rawlen,
    select = select, setmetatable = setmetatable, tonumber = tonumber, tostring = tostring, type = type,
    xpcall = xpcall,
    string = copy(string, { dump = true }), table = copy(table),
    math = copy(math, { random = true, randomseed = true }), utf8 = copy(utf8), coroutine = copy(coroutine),
    os = { time = os.time, date = os.date, difftime = os.difftime, clock = os.clock },
  }
end

-- The rule file: the chunk as a function (so that it runs when the rule's evaluate is called),
-- opened on line 1 and closed after the group's last line. `print` is silenced and `_soft` set
-- (the suite's own switch for its long tests), as all.lua does.
local PRELUDE = "local print, _soft = function() end, true local function chunk() "
local function chunk_text(included, last)
  local out = {}
  for n = 1, last do out[n] = included[n] and lines[n] or "" end
  out[1] = PRELUDE .. out[1]
  return table.concat(out, "\n")
end

-- A chunk that returns before its group (api.lua returns at once without the C test library)
-- would pass anywhere: the line after the group marks that the group ran to its end, and a chunk
-- that does not reach it is not kept. (A group that ends with a top-level return has no room for
-- the mark; it is its file's last.)
local REACHED = "trellis harness: reached"
local MARK = "_ENV[\"" .. REACHED .. "\"] = true"

local SECONDS = 20
local function run_plain(text)
  local env = sandbox_globals()
  local f, message = load(text .. "\nend\nreturn chunk", "@" .. stem .. ".lua", "t", env)
  if not f then return false, message end
  local started = os.clock()
  debug.sethook(function()
    if os.clock() - started > SECONDS then error("the harness stopped it after " .. SECONDS .. " s") end
  end, "", 1000000)
  local ok, result = pcall(function() return f()() end)
  debug.sethook()
  if ok and not rawget(env, REACHED) and text:find(MARK, 1, true) then
    return false, "returned before the end of the group"
  end
  return ok, result, os.clock() - started
end

local prefix = {}
for _, group in ipairs(groups) do
  local included = {}
  for n in pairs(prefix) do included[n] = true end
  for n = group.first, group.last do included[n] = true end
  local text = chunk_text(included, group.last) .. "\n" .. MARK
  if not load(text .. "\nend", "=chunk") then text = chunk_text(included, group.last) end
  local ok, message, seconds = run_plain(text)
  if ok then
    local id = string.format("%s-%d", stem, group.first)
    local file = assert(io.open(outdir .. "/" .. id .. ".lua", "w"))
    file:write(text, "\nend\nreturn { id = \"", id, "\", api = 1, evaluate = function() chunk() return {} end }\n")
    file:close()
    print(group.first, group.last, "ran", id)
    if not group.block and not kept_out[group.first] and seconds < 0.05 then
      for n = group.first, group.last do prefix[n] = true end
    end
  else
    print(group.first, group.last, "failed", (tostring(message):gsub("\n.*", "")))
  end
end
