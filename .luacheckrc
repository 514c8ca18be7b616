-- luacheck settings for Trellis (Debian: apt-get install lua-check). From the repository root:
--
--   luacheck .                                   every rule folder, the helpers and the sandbox
--   luacheck rules Sources/Trellis/RuleAPI       what Tests/TrellisTests/LintTests.swift checks
--   luacheck my-rules                            your own rule folder
--
-- A rule runs in the sandbox that Sources/Trellis/RuleAPI/sandbox.lua builds (docs/security.md):
-- the standard below holds exactly what that sandbox gives a rule, so luacheck reports `print`,
-- `io`, `require`, `math.random`, `os.getenv` or a misspelt helper (`trellis.ladder.nxt`) before
-- the engine fails on them for every student. Keep it in step with sandbox.lua's `base` table
-- and with the functions of helpers.lua (LintTests checks that every helper is listed here).

-- What the sandbox gives every rule, besides `trellis`: the basic functions without print, load,
-- loadstring, dofile, loadfile, require, collectgarbage, rawset and warn; string without dump;
-- math without random and randomseed; os with only time, date, difftime and clock.
stds.trellis_sandbox = {
    read_globals = {
        "_VERSION", "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall",
        "rawequal", "rawget", "rawlen", "select", "setmetatable", "tonumber", "tostring", "type",
        "xpcall",
        string = {
            fields = {
                "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack",
                "packsize", "rep", "reverse", "sub", "unpack", "upper",
            },
        },
        table = { fields = { "concat", "insert", "move", "pack", "remove", "sort", "unpack" } },
        math = {
            fields = {
                "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge",
                "log", "max", "maxinteger", "min", "mininteger", "modf", "pi", "rad", "sin", "sqrt",
                "tan", "tointeger", "type", "ult",
            },
        },
        utf8 = { fields = { "char", "charpattern", "codepoint", "codes", "len", "offset" } },
        coroutine = {
            fields = { "close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield" },
        },
        os = { fields = { "clock", "date", "difftime", "time" } },
    },
}

-- The helper library, read-only (Sources/Trellis/RuleAPI/helpers.lua; docs/rules.md).
stds.trellis_helpers = {
    read_globals = {
        trellis = {
            fields = {
                api = {},
                constant = {},
                ladder = { fields = { "index", "next", "previous", "is_first", "is_last", "step", "step_back" } },
                sessions = {
                    fields = { "newest", "current_level", "at_level", "run", "evidence", "mastery_run" },
                },
                percent = {},
                round = {},
                mastery_probability = {},
                meets = {},
                below = {},
                consecutive = {},
                is_mastered = {},
                has_flag = {},
                work = { fields = { "missing", "recent" } },
                catalog = { fields = { "for_skill" } },
                menu = { fields = { "choose" } },
                date = { fields = { "parse", "is_date", "days_between", "add_days" } },
                format = { fields = { "number", "list", "percents", "count", "student" } },
                class = { fields = { "skill_ids", "skill", "results", "results_by_skill", "first" } },
            },
        },
    },
}

-- Every Lua file is a rule unless a section below says otherwise: rules/, my-rules/, any folder.
std = "trellis_sandbox+trellis_helpers"

exclude_files = {
    ".build/**",
    ".build-*/**",
    -- Rules written to attack the sandbox, on purpose (HostileRuleTests.swift).
    "Tests/TrellisTests/Fixtures/hostile/**",
}

-- The helpers run once, before any rule, with only what the sandbox gives rules; they build the
-- library as a local table, so they cannot read the global `trellis`. Their environment alone holds
-- read_only_copy and input_table (sandbox.lua).
files["Sources/Trellis/RuleAPI/helpers.lua"] = { std = "trellis_sandbox", read_globals = { "read_only_copy", "input_table" } }

-- The sandbox is built with the state's full standard library, before any rule runs; it puts its
-- own setmetatable and next in the state's globals (so that Lua's messages name them).
files["Sources/Trellis/RuleAPI/sandbox.lua"] = { std = "lua54", globals = { "setmetatable", "next", "pairs" } }

-- The rule profiler runs in a plain lua5.4 with the whole standard library (benchmarks/rule-profile).
files["benchmarks/rule-profile/**"] = { std = "lua54" }

-- Editor definitions (---@meta): they define `trellis` and the sandbox's `os`, with empty stubs.
files["types/trellis.lua"] = {
    std = "trellis_sandbox",
    globals = { "trellis", "os" },
    unused_args = false,
    max_comment_line_length = false,
}
