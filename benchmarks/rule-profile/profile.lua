-- Profiles the bundled rules and the helper library in a plain lua5.4, outside the engine, so that
-- Lua's own functions can be seen and each rule counted on its own. See README.md.
--
--   lua5.4 benchmarks/rule-profile/profile.lua [options] HEADER.json ROSTER.ndjson
--     --rules DIR       the rule files (default rules)
--     --helpers FILE    the helper library (default Sources/Trellis/RuleAPI/helpers.lua)
--     --students N      read at most N students (default all)
--     --only ID         run only this rule (for callgrind: compare with --only none)
--     --count           count Lua VM instructions per rule with a count hook (slow, deterministic)
--     --repeat N        run the whole roster N times (for os.clock timing)
--     --functions       with --count, VM instructions by function (file:line where it starts)
--     --print           print every rule's output as JSON-like text, sorted (to compare packs)
--
-- Like the engine: each student's tables are read-only proxies (an empty table whose metatable's
-- __index is the real table), built bottom-up; the helpers see the real table through
-- input_table; each rule's file runs afresh for every student with new globals; rules with
-- reads_results run last with the others' recommendations; rules with evaluate_class run once
-- over the class. Unlike the engine: `results` and `class.results` hold every recommendation of the
-- other rules, not only the winners (no conflict resolution), and class students are regular
-- proxies, not the engine's light ones (so the helpers' memos see through them here).
local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local json = require("json")

local options = { rules = "rules", helpers = "Sources/Trellis/RuleAPI/helpers.lua", repeat_count = 1 }
local positional = {}
local i = 1
while i <= #arg do
    local a = arg[i]
    if a == "--rules" then options.rules = arg[i + 1]; i = i + 1
    elseif a == "--helpers" then options.helpers = arg[i + 1]; i = i + 1
    elseif a == "--students" then options.students = tonumber(arg[i + 1]); i = i + 1
    elseif a == "--only" then options.only = arg[i + 1]; i = i + 1
    elseif a == "--repeat" then options.repeat_count = tonumber(arg[i + 1]); i = i + 1
    elseif a == "--count" then options.count = true
    elseif a == "--print" then options.print = true
    elseif a == "--functions" then options.count = true; options.functions = true
    else positional[#positional + 1] = a end
    i = i + 1
end
if #positional ~= 2 then
    io.stderr:write("usage: lua5.4 profile.lua [options] HEADER.json ROSTER.ndjson\n")
    os.exit(2)
end

local function read_file(path)
    local f = assert(io.open(path, "rb"))
    local text = f:read("a")
    f:close()
    return text
end

---------------------------------------------------------------------------------------------------
-- Read-only proxies, as the engine's regular ones
---------------------------------------------------------------------------------------------------

local backing = setmetatable({}, { __mode = "k" })

local function readonly_newindex(_, key)
    error(string.format("cannot set field '%s': the student and ctx are read-only", tostring(key)), 2)
end

local function proxy_of(real)
    local proxy = setmetatable({}, {
        __index = real,
        __newindex = readonly_newindex,
        __len = function() return #real end,
        __pairs = function(p) return function(_, k) return next(backing[p], k) end, p, nil end,
        __metatable = false,
    })
    backing[proxy] = real
    return proxy
end

-- Seals a decoded value bottom-up: every nested table replaced by its proxy.
local function seal(value)
    if type(value) ~= "table" or backing[value] then return value end
    for k, v in pairs(value) do
        if type(v) == "table" then value[k] = seal(v) end
    end
    return proxy_of(value)
end

local function input_table(t)
    return backing[t] or t
end

-- The lists the engine always provides (rule-api.md, "student").
local function complete(student)
    student.flags = student.flags or {}
    student.skills = student.skills or {}
    student.work = student.work or {}
    student.self_assessments = student.self_assessments or {}
    student.preferences = student.preferences or {}
    student.preferences.modalities = student.preferences.modalities or {}
    for _, skill in ipairs(student.skills) do
        skill.sessions = skill.sessions or {}
    end
    return student
end

---------------------------------------------------------------------------------------------------
-- The sandbox's environment, simplified: a read-only base, the helpers in it
---------------------------------------------------------------------------------------------------

local function read_only(library)
    return setmetatable({}, {
        __index = library, __newindex = readonly_newindex, __len = function() return #library end,
        __pairs = function() return function(_, k) return next(library, k) end, nil, nil end,
        __metatable = false,
    })
end

local function deep_read_only(library)
    local fields = {}
    for k, v in pairs(library) do
        fields[k] = type(v) == "table" and deep_read_only(v) or v
    end
    return read_only(fields)
end

local function copy(t, left_out)
    local out = {}
    for k, v in pairs(t) do
        if not (left_out and left_out[k]) then out[k] = v end
    end
    return out
end

local base = {
    _VERSION = _VERSION, assert = assert, error = error, getmetatable = getmetatable, ipairs = ipairs,
    next = function(t, k) return next(backing[t] or t, k) end, pairs = pairs, pcall = pcall,
    rawequal = rawequal, rawget = rawget, rawlen = rawlen, select = select, setmetatable = setmetatable,
    tonumber = tonumber, tostring = tostring, type = type, xpcall = xpcall,
    string = read_only(copy(string, { dump = true })),
    table = read_only(copy(table)),
    math = read_only(copy(math, { random = true, randomseed = true })),
    utf8 = read_only(copy(utf8)),
    coroutine = read_only(copy(coroutine)),
    os = read_only({ time = os.time, date = os.date, difftime = os.difftime, clock = os.clock }),
}
local helper_environment = setmetatable({
    read_only_copy = function(value) return deep_read_only(value) end,
    input_table = input_table,
}, { __index = base })
local helpers = assert(load(read_file(options.helpers), "@" .. options.helpers, "t", helper_environment))()
base.trellis = deep_read_only(helpers)
local rule_metatable = { __index = base }

---------------------------------------------------------------------------------------------------
-- The rules
---------------------------------------------------------------------------------------------------

local header = json.decode(read_file(positional[1]))
local ladders = seal(header.ladders or {})
local catalog = seal(header.catalog or {})
local class_info = header.class and seal(header.class) or nil

local names = {}
for name in io.popen('ls "' .. options.rules .. '"'):lines() do
    if name:match("%.lua$") then names[#names + 1] = name end
end
table.sort(names)

local rules = {}
for _, name in ipairs(names) do
    local path = options.rules .. "/" .. name
    local chunk = assert(load(read_file(path), "@" .. path, "t", setmetatable({}, rule_metatable)))
    local definition = chunk()
    if options.only == nil or options.only == definition.id then
        local params = {}
        for key, spec in pairs(definition.params or {}) do
            params[key] = spec.default
        end
        local rule = {
            id = definition.id, chunk = chunk, reads_results = definition.reads_results,
            class_level = definition.evaluate_class ~= nil, per_student = definition.evaluate ~= nil,
            priority = definition.priority,
            ctx = seal({ as_of = header.as_of, params = params, ladders = nil, catalog = nil,
                class = nil, rule = { id = definition.id } }),
            vm = 0, clock = 0, calls = 0,
        }
        -- ladders, catalog and class are the class's, shared by every rule: the same proxies.
        local ctx_real = backing[rule.ctx]
        ctx_real.ladders, ctx_real.catalog, ctx_real.class = ladders, catalog, class_info
        rules[#rules + 1] = rule
    end
end

-- Runs the rule's file afresh with new globals (as the engine does for a rule it cannot reuse)
-- and returns its definition.
local function fresh(rule)
    debug.setupvalue(rule.chunk, 1, setmetatable({}, rule_metatable))
    return rule.chunk()
end

local vm_count = 0
local HOOK_STEP = 1
local by_function = {}
local getinfo = debug.getinfo
local function hook()
    vm_count = vm_count + HOOK_STEP
    if options.functions then
        local info = getinfo(2, "S")
        local key = info.short_src .. ":" .. info.linedefined
        by_function[key] = (by_function[key] or 0) + HOOK_STEP
    end
end

local function timed(rule, f, ...)
    local before_vm = vm_count
    if options.count then debug.sethook(hook, "", HOOK_STEP) end
    local started = os.clock()
    local ok, out = pcall(f, ...)
    rule.clock = rule.clock + (os.clock() - started)
    if options.count then debug.sethook() end
    rule.vm = rule.vm + (vm_count - before_vm)
    rule.calls = rule.calls + 1
    if not ok then error(rule.id .. ": " .. tostring(out), 0) end
    return out
end

-- Stable text for a value: tables by sorted keys.
local function show(value)
    if type(value) ~= "table" then
        return type(value) == "string" and string.format("%q", value) or tostring(value)
    end
    value = backing[value] or value
    local keys = {}
    for k in pairs(value) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. "=" .. show(value[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
end

local students, by_id
local emit_count = 0

local function run_student(student_proxy)
    local results_real = {}
    local results = seal(results_real)
    local mine = {}
    for pass = 1, 2 do
        for _, rule in ipairs(rules) do
            if rule.per_student and (pass == 2) == (rule.reads_results == true) then
                local definition = fresh(rule)
                local out = timed(rule, definition.evaluate, student_proxy, rule.ctx, pass == 2 and results or nil)
                for _, rec in ipairs(out or {}) do
                    if pass == 1 and rec.action ~= nil then
                        local copy_rec = copy(rec)
                        copy_rec.rule, copy_rec.priority = rule.id, rule.priority
                        rawset(backing[results], #backing[results] + 1, seal(copy_rec))
                    end
                    if options.print then mine[#mine + 1] = rule.id .. " " .. show(rec) end
                end
            end
        end
    end
    return results, mine
end

-- The roster is decoded once; each round seals a fresh copy, as the engine builds each student's
-- tables anew (so the helpers' memos, keyed by real tables, never carry over from one round).
local decoded = {}
for line in io.lines(positional[2]) do
    if options.students and #decoded >= options.students then break end
    if line:match("%S") then
        decoded[#decoded + 1] = complete(json.decode(line))
    end
end

local function deep_copy(value)
    if type(value) ~= "table" then return value end
    local out = {}
    for k, v in pairs(value) do out[k] = deep_copy(v) end
    return out
end

local started = os.clock()
for round = 1, options.repeat_count do
    students, by_id = {}, {}
    for _, plain in ipairs(decoded) do
        do
            local student = seal(deep_copy(plain))
            local results, mine = run_student(student)
            students[#students + 1] = student
            by_id[student.id] = results
            if options.print and round == 1 then
                io.write(student.id, "\n")
                for _, text in ipairs(mine) do io.write("  ", text, "\n") end
            end
        end
    end
    local class = seal({ students = {}, results = {} })
    local class_real = backing[class]
    for k, student in ipairs(students) do backing[class_real.students][k] = student end
    for id, results in pairs(by_id) do backing[class_real.results][id] = results end
    if class_info then
        for k, v in pairs(backing[class_info]) do class_real[k] = v end
    end
    for _, rule in ipairs(rules) do
        if rule.class_level then
            local definition = fresh(rule)
            local emitted = {}
            local ctx_real = copy(backing[rule.ctx])
            ctx_real.emit = function(item) emitted[#emitted + 1] = item end
            local returned = timed(rule, definition.evaluate_class, class, seal(ctx_real))
            emit_count = emit_count + #emitted + #(returned or {})
            if options.print and round == 1 then
                for _, rec in ipairs(emitted) do io.write("class ", rule.id, " ", show(rec), "\n") end
                for _, rec in ipairs(returned or {}) do io.write("class ", rule.id, " ", show(rec), "\n") end
            end
        end
    end
end

if not options.print then
    local n = #students * options.repeat_count
    io.stderr:write(string.format("%d students x %d, %.2f s in all\n", #students, options.repeat_count,
        os.clock() - started))
    io.stderr:write(string.format("%-20s %6s %14s %14s %12s\n", "rule", "calls", "VM instr", "VM/student",
        "ms/student"))
    local total_vm, total_clock = 0, 0
    for _, rule in ipairs(rules) do
        total_vm, total_clock = total_vm + rule.vm, total_clock + rule.clock
        io.stderr:write(string.format("%-20s %6d %14d %14.0f %12.4f\n", rule.id .. (rule.class_level and " *" or ""),
            rule.calls, rule.vm, rule.vm / n, rule.clock * 1000 / n))
    end
    io.stderr:write(string.format("%-20s %6s %14d %14.0f %12.4f\n", "all", "", total_vm, total_vm / n,
        total_clock * 1000 / n))
    io.stderr:write("(* class-level; VM instructions counted only with --count)\n")
    if options.functions then
        local keys = {}
        for key in pairs(by_function) do keys[#keys + 1] = key end
        table.sort(keys, function(a, b) return by_function[a] > by_function[b] end)
        io.stderr:write("\nVM instructions by function, per student:\n")
        for k = 1, math.min(#keys, 40) do
            io.stderr:write(string.format("%10.0f  %s\n", by_function[keys[k]] / n, keys[k]))
        end
    end
end
