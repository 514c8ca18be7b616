-- Trellis rule helpers, API version 1.
--
-- The engine runs this chunk once and stores the table it returns as the global `trellis`, visible
-- to every rule. It runs in the same sandbox as the rules (no io, os, debug, require or load).
--
-- Inputs (students, skills, sessions, ladders, the catalog) are read-only and may be proxies that
-- support indexing, `#`, `ipairs` and `pairs` only. So these helpers never write into their
-- arguments, never call `next` or `rawget`/`rawlen` on them, and always return fresh tables.

local trellis = { api = 1 }

-- In a sandboxed state, input_table(t) is the real table behind the read-only input table t, and
-- t itself for any other value (a rule's own table keeps its metamethods). Reading the real table
-- takes no metamethod, where a read through the proxy takes one and `#` a call into C: the loops
-- below read it. What it returns never leaves this file: helpers read it and hand rules only its
-- elements (proxies themselves, as input is sealed bottom-up) or fresh tables. Nil when input is
-- not read-only: `input_table and input_table(t) or t` then costs no call.
local input_table = input_table

local log, exp, huge = math.log, math.exp, math.huge

---@alias trellis.Ladder string[] levels ordered from most support to least

---@class trellis.Session
---@field date string?
---@field prompt_level string?
---@field stage string?
---@field trials integer?
---@field correct integer?
---@field independent integer?

---@class trellis.Skill
---@field id string
---@field prompt_level string?
---@field stage string?
---@field sessions trellis.Session[] oldest first

---@class trellis.CatalogItem
---@field id string
---@field title string?
---@field kind string?
---@field modality string?
---@field skills string[]?

---@class trellis.Option
---@field id string
---@field title string?
---@field modality string?

-- Copies items first..last of a list into a new list (inputs may be proxies, so no table.move).
local function slice(list, first, last)
    local out = {}
    for i = math.max(first, 1), last do
        out[#out + 1] = list[i]
    end
    return out
end

-- memo[real][key]: the list compute(a, b) made the first time it was asked for, kept while the
-- real table lives. A copy is handed out, so a rule that changes its list changes no other's.
local function kept_list(memo, real, key, compute, a, b)
    local by_key = memo[real]
    if by_key == nil then
        by_key = {}
        memo[real] = by_key
    end
    local items = by_key[key]
    if items == nil then
        items = compute(a, b)
        by_key[key] = items
    end
    return slice(items, 1, #items)
end

local function contains(list, value)
    for _, v in ipairs(list) do
        if v == value then
            return true
        end
    end
    return false
end

---------------------------------------------------------------------------------------------------
-- Ladders
---------------------------------------------------------------------------------------------------

trellis.ladder = {}

-- For a read-only ladder (its real table: the class's, the same for every student), each level's
-- first position, found once instead of by a walk for every skill of every student. Only the
-- numbers are kept, and nothing a rule can reach: a rule's own ladder is walked each time.
local position_memo = setmetatable({}, { __mode = "k" })

local function positions_of(real)
    local positions = position_memo[real]
    if positions == nil then
        positions = {}
        for i, name in ipairs(real) do
            -- A level named twice keeps its first place, as the walk finds it. NaN is never
            -- equal to a level, so it has no place (and cannot be a key).
            if name == name and positions[name] == nil then
                positions[name] = i
            end
        end
        position_memo[real] = positions
    end
    return positions
end

--- The position of a level on a ladder (1 = most support).
---@param ladder trellis.Ladder
---@param level string?
---@return integer? index nil when the level is not on the ladder
function trellis.ladder.index(ladder, level)
    local real = input_table and input_table(ladder) or ladder
    if real ~= ladder then
        if level == nil then
            return nil
        end
        return positions_of(real)[level]
    end
    for i, name in ipairs(ladder) do
        if name == level then
            return i
        end
    end
    return nil
end

--- The level with one step less support, or nil at the last level (or off the ladder).
---@param ladder trellis.Ladder
---@param level string?
---@return string?
function trellis.ladder.next(ladder, level)
    local i = trellis.ladder.index(ladder, level)
    return i and ladder[i + 1]
end

--- The level with one step more support, or nil at the first level (or off the ladder).
---@param ladder trellis.Ladder
---@param level string?
---@return string?
function trellis.ladder.previous(ladder, level)
    local i = trellis.ladder.index(ladder, level)
    return i and i > 1 and ladder[i - 1] or nil
end

--- Whether the level is the first (most support) level of the ladder.
---@param ladder trellis.Ladder
---@param level string?
---@return boolean
function trellis.ladder.is_first(ladder, level)
    return level ~= nil and ladder[1] == level
end

--- Whether the level is the last (least support) level of the ladder.
---@param ladder trellis.Ladder
---@param level string?
---@return boolean
function trellis.ladder.is_last(ladder, level)
    ladder = input_table and input_table(ladder) or ladder
    return level ~= nil and #ladder > 0 and ladder[#ladder] == level
end

---------------------------------------------------------------------------------------------------
-- Sessions
---------------------------------------------------------------------------------------------------

trellis.sessions = {}

-- The level of a skill table: its own `field`, else that of its newest session.
local function level_of(skill, field)
    if skill[field] ~= nil then
        return skill[field]
    end
    local sessions = skill.sessions or {}
    sessions = input_table and input_table(sessions) or sessions
    local newest = sessions[#sessions]
    return newest and newest[field]
end

-- The skill's session list (its real table for read-only input) and the bounds first..last of the
-- newest run at `level`, at most `n` long (trellis.sessions.at_level).
local function run_bounds(skill, field, level, n)
    local real = input_table and input_table(skill) or skill
    local sessions = real.sessions or {}
    sessions = input_table and input_table(sessions) or sessions
    local last = #sessions
    local first = last + 1 -- the run is sessions[first..last]
    while level ~= nil and first > 1 and sessions[first - 1][field] == level do
        if n and last - first + 1 >= n then
            break
        end
        first = first - 1
    end
    return sessions, first, last
end

--- The last n items of a list, oldest first (all of them when n is nil).
---@generic T
---@param list T[]
---@param n integer?
---@return T[]
function trellis.sessions.newest(list, n)
    local count = #list
    return slice(list, n and count - n + 1 or 1, count)
end

--- A skill's current level: its own `field` when given, else that of its newest session.
---@param skill trellis.Skill
---@param field "prompt_level"|"stage"
---@return string?
function trellis.sessions.current_level(skill, field)
    return level_of(input_table and input_table(skill) or skill, field)
end

--- The newest run of consecutive sessions at `level`, oldest first.
--- Walks back from the newest session and stops at the first one at another level (or without
--- the field): sessions before the most recent change of level do not count, so a student who
--- stepped back starts a new run.
---@param skill trellis.Skill
---@param field "prompt_level"|"stage"
---@param level string
---@param n integer? at most this many (the newest ones)
---@return trellis.Session[]
function trellis.sessions.at_level(skill, field, level, n)
    local sessions, first, last = run_bounds(skill, field, level, n)
    return slice(sessions, first, last)
end

--- The run of sessions at the skill's current level (empty when there is no current level).
---@param skill trellis.Skill
---@param field "prompt_level"|"stage"
---@return trellis.Session[]
function trellis.sessions.run(skill, field)
    local level = trellis.sessions.current_level(skill, field)
    if level == nil then
        return {}
    end
    return trellis.sessions.at_level(skill, field, level)
end

--- A small JSON-friendly summary of sessions for `evidence`: date, percent (as displayed in
--- reasons), trials and correct of each. Returns nil for an empty list (an empty table would be
--- ambiguous in JSON).
---@param list trellis.Session[]
---@return { date: string?, percent: integer?, trials: integer?, correct: integer? }[]?
function trellis.sessions.evidence(list)
    local out = {}
    for _, s in ipairs(list) do
        s = input_table and input_table(s) or s
        local p = trellis.percent(s)
        out[#out + 1] = {
            date = s.date,
            percent = p and math.floor(p),
            trials = s.trials,
            correct = s.correct,
        }
    end
    return #out > 0 and out or nil
end

---------------------------------------------------------------------------------------------------
-- Constants
---------------------------------------------------------------------------------------------------

--- A read-only copy of `value`, nested tables included: for a rule file's module-level tables.
--- A rule whose module-level locals hold only such constants, numbers, strings and functions is
--- not run afresh for each student (checked after every call), which saves its top-level code.
--- A constant holds values only: keys that are strings, numbers or booleans; values that are
--- those, tables of them, and the engine's own functions. Anything that could change or remember
--- (a table key, a rule's own function, a coroutine) is an error naming where it is.
---@generic T: table
---@param value T
---@return T
function trellis.constant(value)
    if type(value) ~= "table" then
        error("trellis.constant: expected a table, got " .. type(value), 2)
    end
    local ok, copy = pcall(read_only_copy, value)
    if not ok then
        error(copy, 2)
    end
    return copy
end

---------------------------------------------------------------------------------------------------
-- Criteria on sessions
---------------------------------------------------------------------------------------------------

--- Percent of trials correct, or nil when the session has no trials (nil or 0).
--- A missing `correct` counts as 0.
---@param session trellis.Session
---@return number?
function trellis.percent(session)
    local trials = session.trials
    if trials == nil or trials <= 0 then
        return nil
    end
    -- Multiply first: 29 * 100 / 100 is exactly 29, while 29 / 100 * 100 is not.
    return (session.correct or 0) * 100 / trials
end

--- Whether a session has at least `min_percent` correct and at least `min_trials` trials.
---@param session trellis.Session
---@param min_percent number
---@param min_trials integer
---@return boolean
function trellis.meets(session, min_percent, min_trials)
    local p = trellis.percent(session)
    return p ~= nil and p >= min_percent and session.trials >= min_trials
end

--- Whether a session has less than `max_percent` correct with at least `min_trials` trials.
---@param session trellis.Session
---@param max_percent number
---@param min_trials integer
---@return boolean
function trellis.below(session, max_percent, min_trials)
    local p = trellis.percent(session)
    return p ~= nil and p < max_percent and session.trials >= min_trials
end

--- Whether the newest n sessions all satisfy `predicate` (false when there are fewer than n),
--- and how many of the newest sessions in a row satisfy it (at most n).
---@param sessions trellis.Session[]
---@param n integer
---@param predicate fun(session: trellis.Session): boolean
---@return boolean met
---@return integer count
function trellis.consecutive(sessions, n, predicate)
    local count = 0
    for i = #sessions, 1, -1 do
        if count >= n or not predicate(sessions[i]) then
            break
        end
        count = count + 1
    end
    return count >= n, count
end

--- Whether the skill is mastered: the newest `params.sessions` sessions of the run at the current
--- level all meet `params.percent` / `params.min_trials`, and that level is the last level of the
--- prompt ladder or of the stage ladder.
---@param skill trellis.Skill
---@param ladders { prompt: trellis.Ladder, stage: trellis.Ladder }
---@param params { sessions: integer?, percent: number?, min_trials: integer? }? defaults 3, 80, 5
---@return boolean
function trellis.is_mastered(skill, ladders, params)
    params = params or {}
    local n, percent, min_trials = params.sessions or 3, params.percent or 80, params.min_trials or 5
    local function meets(s)
        return trellis.meets(s, percent, min_trials)
    end
    local function mastered_on(field, ladder)
        local level = trellis.sessions.current_level(skill, field)
        return trellis.ladder.is_last(ladder, level)
            and (trellis.consecutive(trellis.sessions.run(skill, field), n, meets))
    end
    return mastered_on("prompt_level", ladders.prompt) or mastered_on("stage", ladders.stage)
end

--- The sessions that show a skill mastered on one ladder: the newest `params.sessions` sessions
--- of the run at the skill's current `field` level, when that level is the last level of `ladder`
--- and they all meet `params.percent` / `params.min_trials` (the criterion of `trellis.is_mastered`,
--- for one ladder). Returns nil when the skill is not mastered on that ladder.
---@param skill trellis.Skill
---@param field "prompt_level"|"stage"
---@param ladder trellis.Ladder
---@param params { sessions: integer?, percent: number?, min_trials: integer? }? defaults 3, 80, 5
---@return trellis.Session[]? sessions oldest first
---@return string? level the last level of the ladder, when mastered
function trellis.sessions.mastery_run(skill, field, ladder, params)
    params = params or {}
    local n, percent, min_trials = params.sessions or 3, params.percent or 80, params.min_trials or 5
    local level = trellis.sessions.current_level(skill, field)
    if not trellis.ladder.is_last(ladder, level) then
        return nil
    end
    local run = trellis.sessions.at_level(skill, field, level)
    local met = trellis.consecutive(run, n, function(s)
        return trellis.meets(s, percent, min_trials)
    end)
    if not met then
        return nil
    end
    return trellis.sessions.newest(run, n), level
end

---------------------------------------------------------------------------------------------------
-- A step on a ladder
---------------------------------------------------------------------------------------------------

---@class trellis.StepCriteria
---@field advance_sessions integer sessions in a row at the current level needed to advance
---@field advance_percent number percent correct each of those needs, at least
---@field step_back_sessions integer sessions in a row below step_back_percent needed to step back
---@field step_back_percent number a session below this percent correct counts toward stepping back
---@field min_trials integer trials a session needs to count toward either

---@class trellis.StepWords
---@field advance string the action of one step toward independence ("fade", "advance")
---@field advancing string the same as a noun in reasons ("fading", "advancing")
---@field level string what a rung of the ladder is called ("level", "stage")

---@class trellis.Step
---@field action "mastered"|"step_back"|"hold"|string `words.advance` when advancing
---@field from string the current level
---@field to string? the level advanced or stepped back to
---@field reason string
---@field evidence table `level`, `sessions` (trellis.sessions.evidence) and, when holding, `needed`

--- Step back one level from `level`, or hold at the first level and say there is nothing before it:
--- `action, to, reason`, where the reason is `why`, followed at the first level by ", but LEVEL is
--- the first NOUN: nothing to step back to".
---@param ladder trellis.Ladder
---@param level string
---@param why string
---@param noun string what a rung of the ladder is called ("level", "stage")
---@return "step_back"|"hold" action
---@return string? to
---@return string reason
function trellis.ladder.step_back(ladder, level, why, noun)
    local previous = trellis.ladder.previous(ladder, level)
    if previous then
        return "step_back", previous, why
    end
    return "hold", nil, why .. ", but " .. level .. " is the first " .. noun .. ": nothing to step back to"
end

-- Whether the newest n of sessions[first..last] all satisfy meets(session, percent, min_trials).
local function newest_all(sessions, first, last, n, meets, percent, min_trials)
    if last - first + 1 < n then
        return false
    end
    for i = last, last - n + 1, -1 do
        if not meets(sessions[i], percent, min_trials) then
            return false
        end
    end
    return true
end

--- One step on a ladder for a skill, from the newest run of sessions at its current level
--- (`field`): the decision of the bundled prompt-fading and scaffold-stage.
--- 1. When the newest `advance_sessions` sessions of the run all meet `advance_percent` with
---    `min_trials`: advance one level (`words.advance`), or `mastered` at the last level.
--- 2. Else when the newest `step_back_sessions` are all below `step_back_percent` with `min_trials`:
---    step back one level (trellis.ladder.step_back: hold at the first level).
--- 3. Else hold, saying how many sessions the run has so far or what the newest ones lacked.
--- Returns nil when the skill has no current level. The reasons name the sessions' percents
--- (trellis.format.percents) and the criteria, so a reader sees why without the data:
---
---     local step = trellis.ladder.step(skill, "prompt_level", ctx.ladders.prompt, {
---         advance_sessions = 3, advance_percent = 80, step_back_sessions = 2,
---         step_back_percent = 50, min_trials = 5,
---     }, { advance = "fade", advancing = "fading", level = "level" })
---     -- { action = "fade", from = "gestural", to = "verbal", reason = "3 sessions in a row at
---     --   gestural with at least 80% correct (80%, 90%, 100%)", evidence = { level = "gestural",
---     --   sessions = { ... } } }
---@param skill trellis.Skill
---@param field "prompt_level"|"stage"
---@param ladder trellis.Ladder
---@param criteria trellis.StepCriteria
---@param words trellis.StepWords
---@return trellis.Step?
function trellis.ladder.step(skill, field, ladder, criteria, words)
    local level = trellis.sessions.current_level(skill, field)
    if level == nil then
        return nil
    end
    local fmt = trellis.format
    local sessions, first, last = run_bounds(skill, field, level)
    local count = last - first + 1
    local advance_sessions, advance_percent = criteria.advance_sessions, criteria.advance_percent
    local back_sessions, back_percent = criteria.step_back_sessions, criteria.step_back_percent
    local min_trials = criteria.min_trials
    local step = { from = level }

    if newest_all(sessions, first, last, advance_sessions, trellis.meets, advance_percent, min_trials) then
        local shown = slice(sessions, last - advance_sessions + 1, last)
        local at_last = trellis.ladder.is_last(ladder, level)
        step.action = at_last and "mastered" or words.advance
        step.to = trellis.ladder.next(ladder, level)
        step.reason = string.format("%s in a row at %s%s with at least %s%% correct (%s)",
            fmt.count(advance_sessions, "session"), level,
            at_last and ", the last " .. words.level .. "," or "",
            fmt.number(advance_percent), fmt.percents(shown))
        step.evidence = { level = level, sessions = trellis.sessions.evidence(shown) }

    elseif newest_all(sessions, first, last, back_sessions, trellis.below, back_percent, min_trials) then
        local shown = slice(sessions, last - back_sessions + 1, last)
        step.action, step.to, step.reason = trellis.ladder.step_back(ladder, level,
            string.format("%s in a row at %s below %s%% correct (%s)",
                fmt.count(back_sessions, "session"), level, fmt.number(back_percent), fmt.percents(shown)),
            words.level)
        step.evidence = { level = level, sessions = trellis.sessions.evidence(shown) }

    else
        local shown = slice(sessions, math.max(first, last - advance_sessions + 1), last)
        step.action = "hold"
        if count < advance_sessions then
            step.reason = string.format("%d of %s at %s so far",
                count, fmt.count(advance_sessions, "session"), level)
        else
            step.reason = string.format(
                "newest %s at %s: %s; %s needs each at least %s%% correct with %s",
                fmt.count(advance_sessions, "session"), level,
                fmt.percents(shown, min_trials), words.advancing, fmt.number(advance_percent),
                fmt.count(min_trials, "trial"))
        end
        step.evidence = {
            level = level,
            sessions = trellis.sessions.evidence(shown),
            needed = advance_sessions,
        }
    end
    return step
end

---------------------------------------------------------------------------------------------------
-- Numbers
---------------------------------------------------------------------------------------------------

--- `x` rounded to `places` decimals (0 when nil): the nearest such number, and on an exact tie
--- the even one, as C's printf and Python's round() do (0.125 -> 0.12, 0.675 -> 0.68: 0.675 is
--- a little above in binary). Rounding of the number's exact binary value, never of a decimal
--- guess, so that a report and a spreadsheet that round the same number agree.
---@param x number
---@param places integer? 0 to 15
---@return number
function trellis.round(x, places)
    places = places or 0
    if type(x) ~= "number" then
        error("trellis.round: expected a number, got " .. type(x), 2)
    end
    if math.type(places) ~= "integer" or places < 0 or places > 15 then
        error("trellis.round: places must be a whole number from 0 to 15, got " .. tostring(places), 2)
    end
    if x ~= x or x == math.huge or x == -math.huge then
        return x
    end
    return tonumber(string.format("%." .. places .. "f", x))
end

---------------------------------------------------------------------------------------------------
-- Mastery probability: Bayesian Knowledge Tracing
---------------------------------------------------------------------------------------------------

-- The defaults, in the order the parameters are checked.
local BKT_PRIOR, BKT_LEARN, BKT_GUESS, BKT_SLIP = 0.1, 0.1, 0.2, 0.1

-- The estimate with the default parameters of each read-only session list (its real table), for as
-- long as that table lives: a student's lists are built for that student alone, so the estimate
-- of one student's sessions is never another's.
local bkt_memo = setmetatable({}, { __mode = "k" })

-- params[name], or the default when it is nil; an error (at the caller's caller) for anything but
-- a number from 0 to 1.
local function bkt_param(params, name, default)
    local value = params[name]
    if value == nil then
        value = default
    end
    if type(value) ~= "number" or not (value >= 0 and value <= 1) then
        error(string.format("trellis.mastery_probability: params.%s must be a number from 0 to 1, got %s",
            name, tostring(value)), 3)
    end
    return value
end

--- The probability that a skill is mastered, by Bayesian Knowledge Tracing (Corbett & Anderson,
--- 1995) applied once per session, oldest first. From P(L) = `prior`, a session of n trials with
--- c correct updates it by Bayes' rule,
---     P(L | obs) = P(L) (1-s)^c s^(n-c) / (P(L) (1-s)^c s^(n-c) + (1 - P(L)) g^c (1-g)^(n-c)),
--- then by the chance of learning in the session: P(L) <- P(L | obs) + (1 - P(L | obs)) T.
--- Returns P(L) after the last session (`prior` for no sessions). A session without trials
--- (nil or 0) observes nothing and only learns; a missing `correct` counts as 0. Computed with
--- logarithms, so that a session of many trials does not underflow; when a session is impossible
--- under both hypotheses (guess 0 and slip 0 with both right and wrong answers), it teaches
--- nothing and P(L | obs) = P(L).
---@param sessions trellis.Session[] oldest first
---@param params { prior: number?, learn: number?, guess: number?, slip: number? }? each 0 to 1 (0.1, 0.1, 0.2, 0.1)
---@return number probability from 0 to 1
function trellis.mastery_probability(sessions, params)
    if type(sessions) ~= "table" then
        error("trellis.mastery_probability: sessions must be a list of sessions, got " .. type(sessions), 2)
    end
    if params ~= nil and type(params) ~= "table" then
        error("trellis.mastery_probability: params must be a table or nil, got " .. type(params), 2)
    end
    local list = input_table and input_table(sessions) or sessions
    -- The defaults' estimate of an input list is kept for the other rules of the same student.
    local memoised = params == nil and list ~= sessions
    if memoised then
        local known = bkt_memo[list]
        if known ~= nil then
            return known
        end
    end
    local prior, learn, guess, slip = BKT_PRIOR, BKT_LEARN, BKT_GUESS, BKT_SLIP
    if params ~= nil then
        prior, learn = bkt_param(params, "prior", prior), bkt_param(params, "learn", learn)
        guess, slip = bkt_param(params, "guess", guess), bkt_param(params, "slip", slip)
    end
    local log_slip, log_no_slip = log(slip), log(1 - slip)
    local log_guess, log_no_guess = log(guess), log(1 - guess)
    local known = prior
    for _, s in ipairs(list) do
        s = input_table and input_table(s) or s
        local n, c = s.trials or 0, s.correct or 0
        local wrong = n - c
        -- The logarithms of P(L) P(obs | L) and of (1 - P(L)) P(obs | not L); n * log(x) is 0 for
        -- n = 0 even where log(x) is -inf (x^0 is 1).
        local learned = log(known) + (c == 0 and 0 or c * log_no_slip) + (wrong == 0 and 0 or wrong * log_slip)
        local unlearned = log(1 - known) + (c == 0 and 0 or c * log_guess)
            + (wrong == 0 and 0 or wrong * log_no_guess)
        local posterior = known
        if learned ~= -huge or unlearned ~= -huge then
            posterior = 1 / (1 + exp(unlearned - learned))
        end
        known = posterior + (1 - posterior) * learn
    end
    if memoised then
        bkt_memo[list] = known
    end
    return known
end

---------------------------------------------------------------------------------------------------
-- Students and work
---------------------------------------------------------------------------------------------------

--- Whether the student's `flags` list contains the flag (for example "iep").
---@param student table
---@param flag string
---@return boolean
function trellis.has_flag(student, flag)
    return contains(student.flags or {}, flag)
end

trellis.work = {}

--- The student's work items for a skill whose status is "missing".
---@param student table
---@param skill_id string
---@return integer count
---@return string[] ids in input order
function trellis.work.missing(student, skill_id)
    local ids = {}
    local work = student.work or {}
    for _, item in ipairs(input_table and input_table(work) or work) do
        if item.status == "missing" and item.skill == skill_id then
            ids[#ids + 1] = item.id
        end
    end
    return #ids, ids
end

-- The n most recent of the work items, oldest first (trellis.work.recent).
local function newest_work(work, n)
    local order = {}
    for i, item in ipairs(work) do
        order[i] = { item = item, due = item.due or "", index = i }
    end
    -- table.sort is not stable: the input index breaks ties.
    table.sort(order, function(a, b)
        if a.due ~= b.due then
            return a.due < b.due
        end
        return a.index < b.index
    end)
    local items = {}
    for _, entry in ipairs(trellis.sessions.newest(order, n)) do
        items[#items + 1] = entry.item
    end
    return items
end

-- trellis.work.recent's items of a student's work list (its real table), by n: sorted once per
-- student, not once per skill. A student's tables are built for that student alone.
local recent_memo = setmetatable({}, { __mode = "k" })

--- The n most recent work items, oldest first. Ordered by `due` (YYYY-MM-DD compares as text);
--- items without `due` count as the oldest; ties keep input order.
---@param student table
---@param n integer
---@return table[]
function trellis.work.recent(student, n)
    local work = student.work or {}
    local real = input_table and input_table(work) or work
    if real == work or math.type(n) ~= "integer" then
        return newest_work(work, n)
    end
    return kept_list(recent_memo, real, n, newest_work, work, n)
end

---------------------------------------------------------------------------------------------------
-- Catalog and choice menus
---------------------------------------------------------------------------------------------------

trellis.catalog = {}

-- The items of a catalog list whose `skills` contain the skill, in catalog order.
local function items_for_skill(list, skill_id)
    local items = {}
    for _, item in ipairs(list) do
        if contains(item.skills or {}, skill_id) then
            items[#items + 1] = item
        end
    end
    return items
end

-- For a read-only catalog (its real table, which is the class's and the same for every student):
-- its items by skill id, found once instead of for every student and skill.
local catalog_memo = setmetatable({}, { __mode = "k" })

--- The catalog items whose `skills` list contains the skill, in catalog order.
---@param catalog trellis.CatalogItem[]
---@param skill_id string
---@return trellis.CatalogItem[]
function trellis.catalog.for_skill(catalog, skill_id)
    local list = catalog or {}
    local real = input_table and input_table(list) or list
    if real == list or type(skill_id) ~= "string" then
        return items_for_skill(list, skill_id)
    end
    return kept_list(catalog_memo, real, skill_id, items_for_skill, real, skill_id)
end

trellis.menu = {}

-- Items of the student's preferred modalities first (in the student's order), then the rest;
-- catalog order within each group.
local function by_preference(items, preferred)
    -- Each modality's rank is its first place among the preferred; the ranks in order are those
    -- first places. Collecting the items rank by rank, each in list order, is the order of a sort
    -- by (rank, position), without the sort.
    local rank, ranks = {}, {}
    for i, modality in ipairs(preferred) do
        if rank[modality] == nil then
            rank[modality] = i
            ranks[#ranks + 1] = i
        end
    end
    local item_ranks, count = {}, #items
    for i = 1, count do
        item_ranks[i] = rank[items[i].modality]
    end
    local out = {}
    for _, r in ipairs(ranks) do
        for i = 1, count do
            if item_ranks[i] == r then
                out[#out + 1] = items[i]
            end
        end
    end
    for i = 1, count do
        if item_ranks[i] == nil then
            out[#out + 1] = items[i]
        end
    end
    return out
end

-- The chosen items with a tally of their modalities. Items without a modality can be chosen but
-- add no variety.
local Picks = {}
Picks.__index = Picks

local function new_picks()
    return setmetatable({ items = {}, uses = {}, distinct = 0 }, Picks)
end

function Picks:has(item)
    return contains(self.items, item)
end

function Picks:is_new(modality)
    return modality ~= nil and (self.uses[modality] or 0) == 0
end

function Picks:tally(modality, delta)
    if modality == nil then
        return
    end
    local before = self.uses[modality] or 0
    self.uses[modality] = before + delta
    if before == 0 and delta > 0 then
        self.distinct = self.distinct + 1
    elseif before + delta == 0 then
        self.distinct = self.distinct - 1
    end
end

function Picks:add(item)
    self.items[#self.items + 1] = item
    self:tally(item.modality, 1)
end

function Picks:replace(index, item)
    self:tally(self.items[index].modality, -1)
    self.items[index] = item
    self:tally(item.modality, 1)
end

-- Fills picks from an ordered list up to `count`: first one item per modality not chosen yet,
-- then any remaining items in order.
function Picks:fill(ordered, count)
    for _, item in ipairs(ordered) do
        if #self.items >= count then
            return
        end
        if self:is_new(item.modality) then
            self:add(item)
        end
    end
    for _, item in ipairs(ordered) do
        if #self.items >= count then
            return
        end
        if not self:has(item) then
            self:add(item)
        end
    end
end

-- The first item of `ordered` not chosen yet whose modality is new to the picks.
function Picks:first_new(ordered)
    for _, item in ipairs(ordered) do
        if not self:has(item) and self:is_new(item.modality) then
            return item
        end
    end
    return nil
end

-- The position of the last chosen item whose modality is chosen more than once (or that has no
-- modality): replacing it loses no variety.
function Picks:last_duplicate()
    for i = #self.items, 1, -1 do
        local modality = self.items[i].modality
        if modality == nil or self.uses[modality] > 1 then
            return i
        end
    end
    return nil
end

--- Chooses menu options for a skill from the catalog.
--- Candidates are the catalog items for the skill. Items whose modality the student used in their
--- `recent_work` most recent work items are left out where the catalog allows. Within that, the
--- student's preferred modalities come first, then catalog order, and each new modality is taken
--- before a second item of one already chosen. When fewer than `min_modalities` modalities result,
--- a recently used modality is brought back for variety (added, or replacing a duplicate).
---@param student table
---@param skill_id string
---@param catalog trellis.CatalogItem[]
---@param opts { count: integer?, min_modalities: integer?, recent_work: integer? }? defaults 3, 2, 2
---@return trellis.Option[] options
---@return { modalities: string[], left_out: string[], preferred: string[] } info modalities of the
---  options (in option order), recently used modalities left out although the catalog had them,
---  and the student's preferred modalities that are among the options (in the student's order)
function trellis.menu.choose(student, skill_id, catalog, opts)
    opts = opts or {}
    local count, min_modalities = opts.count or 3, opts.min_modalities or 2
    local preferred = (student.preferences or {}).modalities or {}

    local recent = {}
    for _, item in ipairs(trellis.work.recent(student, opts.recent_work or 2)) do
        if item.modality ~= nil then
            recent[item.modality] = true
        end
    end

    local fresh, stale = {}, {}
    for _, item in ipairs(trellis.catalog.for_skill(catalog, skill_id)) do
        local group = recent[item.modality] and stale or fresh
        group[#group + 1] = item
    end
    fresh, stale = by_preference(fresh, preferred), by_preference(stale, preferred)

    local picks = new_picks()
    picks:fill(fresh, count)
    -- Variety beats leaving out recent modalities: bring back a recently used one if needed.
    while picks.distinct < min_modalities do
        local item = picks:first_new(stale)
        if item == nil then
            break
        end
        if #picks.items < count then
            picks:add(item)
        else
            local index = picks:last_duplicate()
            if index == nil then
                break
            end
            picks:replace(index, item)
        end
    end
    picks:fill(stale, count)

    local options, modalities, seen = {}, {}, {}
    for i, item in ipairs(picks.items) do
        options[i] = { id = item.id, title = item.title, modality = item.modality }
        if item.modality ~= nil and not seen[item.modality] then
            seen[item.modality] = true
            modalities[#modalities + 1] = item.modality
        end
    end
    local left_out, reported = {}, {}
    for _, item in ipairs(stale) do
        if not seen[item.modality] and not reported[item.modality] then
            reported[item.modality] = true
            left_out[#left_out + 1] = item.modality
        end
    end
    local honoured = {}
    for _, modality in ipairs(preferred) do
        if seen[modality] and not contains(honoured, modality) then
            honoured[#honoured + 1] = modality
        end
    end
    return options, { modalities = modalities, left_out = left_out, preferred = honoured }
end

---------------------------------------------------------------------------------------------------
-- Dates
---------------------------------------------------------------------------------------------------

-- Calendar arithmetic on the proleptic Gregorian calendar, as whole numbers only (no `os`): a date
-- is turned into a day number, days are added or subtracted, and the number is turned back.
-- After Howard Hinnant's days_from_civil / civil_from_days; `//` floors, so negative day numbers
-- need no special case.

trellis.date = {}

local function is_leap(y)
    return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
end

local function days_in_month(y, m)
    if m == 2 then
        return is_leap(y) and 29 or 28
    elseif m == 4 or m == 6 or m == 9 or m == 11 then
        return 30
    end
    return 31
end

-- Days since 1970-01-01 (negative before it).
local function day_number(y, m, d)
    y = m <= 2 and y - 1 or y
    local era = y // 400
    local year_of_era = y - era * 400
    local day_of_year = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    local day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468
end

-- The year, month and day of a day number.
local function civil(days)
    days = days + 719468
    local era = days // 146097
    local day_of_era = days - era * 146097
    local year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    local day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    local mp = (5 * day_of_year + 2) // 153
    local d = day_of_year - (153 * mp + 2) // 5 + 1
    local m = mp < 10 and mp + 3 or mp - 9
    local y = year_of_era + era * 400
    return m <= 2 and y + 1 or y, m, d
end

--- The year, month and day of a `YYYY-MM-DD` date (a real calendar day), or nil for anything else.
--- A time after the date (`2026-11-17T09:30:00Z`, as the contract allows on its dates) is ignored:
--- the date is the calendar day as written.
---@param text any
---@return integer? year
---@return integer? month
---@return integer? day
function trellis.date.parse(text)
    if type(text) ~= "string" then
        return nil
    end
    local y, m, d, rest = string.match(text, "^(%d%d%d%d)%-(%d%d)%-(%d%d)(.*)$")
    if y == nil or not (rest == "" or string.match(rest, "^[T ]%d%d:%d%d")) then
        return nil
    end
    y, m, d = math.tointeger(tonumber(y)), math.tointeger(tonumber(m)), math.tointeger(tonumber(d))
    if y < 1 or m < 1 or m > 12 or d < 1 or d > days_in_month(y, m) then
        return nil
    end
    return y, m, d
end

--- Whether `text` is a `YYYY-MM-DD` date (optionally followed by a time), a real calendar day.
---@param text any
---@return boolean
function trellis.date.is_date(text)
    return trellis.date.parse(text) ~= nil
end

--- The number of days from date `a` to date `b`: positive when `b` is later, 0 on the same day,
--- negative when `b` is earlier ("2026-11-13", "2026-11-20" -> 7). Nil when either is not a date.
---@param a string YYYY-MM-DD
---@param b string YYYY-MM-DD
---@return integer?
function trellis.date.days_between(a, b)
    local ay, am, ad = trellis.date.parse(a)
    local by, bm, bd = trellis.date.parse(b)
    if ay == nil or by == nil then
        return nil
    end
    return day_number(by, bm, bd) - day_number(ay, am, ad)
end

--- The date `n` days after `date` (before it when `n` is negative), as `YYYY-MM-DD`
--- ("2026-11-20", -7 -> "2026-11-13"; "2028-02-28", 1 -> "2028-02-29"). Nil when `date` is not a
--- date or `n` is not a whole number.
---@param date string YYYY-MM-DD
---@param n integer
---@return string?
function trellis.date.add_days(date, n)
    local y, m, d = trellis.date.parse(date)
    local days = math.type(n) and math.tointeger(n)
    if y == nil or days == nil then
        return nil
    end
    local ny, nm, nd = civil(day_number(y, m, d) + days)
    if ny < 1 or ny > 9999 then
        return nil
    end
    return string.format("%04d-%02d-%02d", ny, nm, nd)
end

---------------------------------------------------------------------------------------------------
-- Formatting for reasons
---------------------------------------------------------------------------------------------------

trellis.format = {}

--- A number without a trailing ".0": 80 -> "80", 80.0 -> "80", 66.5 -> "66.5".
---@param x number
---@return string
function trellis.format.number(x)
    if math.type(x) == "float" and x == math.floor(x) and math.abs(x) < 2 ^ 53 then
        return string.format("%d", x)
    end
    return tostring(x)
end

--- Items joined with ", ": {"a", "b"} -> "a, b".
---@param list any[]
---@return string
function trellis.format.list(list)
    local parts = {}
    for _, v in ipairs(list) do
        parts[#parts + 1] = tostring(v)
    end
    return table.concat(parts, ", ")
end

--- Session percents as text, "90%, 90%, 100%". Percents are rounded DOWN to whole numbers so that
--- the text never shows a threshold a session did not reach (79.5% shows as 79%, not 80%).
--- A session without trials shows as "no trials"; with `min_trials`, a session with fewer trials
--- shows its count ("100% of 4 trials") because it does not count toward any criterion.
---@param sessions trellis.Session[]
---@param min_trials integer?
---@return string
function trellis.format.percents(sessions, min_trials)
    local parts = {}
    for _, s in ipairs(sessions) do
        local p = trellis.percent(s)
        local text = p and string.format("%d%%", math.floor(p)) or "no trials"
        if p and min_trials and s.trials < min_trials then
            text = string.format("%s of %d trials", text, s.trials)
        end
        parts[#parts + 1] = text
    end
    return table.concat(parts, ", ")
end

--- "1 session", "3 sessions": a count with its noun, plural unless the count is 1.
---@param n number
---@param noun string singular
---@param plural string? defaults to noun .. "s"
---@return string
function trellis.format.count(n, noun, plural)
    return trellis.format.number(n) .. " " .. (n == 1 and noun or plural or noun .. "s")
end

---------------------------------------------------------------------------------------------------
-- Class-level rules
---------------------------------------------------------------------------------------------------

-- For `evaluate_class(class, ctx)`: `class.students` is every evaluated student (input order) and
-- `class.results[student_id]` the student's winning recommendations, each with `skill`, `kind`,
-- `action`, `from`, `to`, `rule`, `reason` and `priority`.

trellis.class = {}

--- The skill ids of the students, each once, in order of first appearance (students in the given
--- order, each student's skills in record order).
---@param students table[]
---@return string[]
function trellis.class.skill_ids(students)
    local ids, seen = {}, {}
    for _, student in ipairs(students or {}) do
        for _, skill in ipairs(student.skills or {}) do
            if skill.id ~= nil and not seen[skill.id] then
                seen[skill.id] = true
                ids[#ids + 1] = skill.id
            end
        end
    end
    return ids
end

--- The student's skill with the given id (the first one in the record), or nil.
---@param student table
---@param skill_id string
---@return trellis.Skill?
function trellis.class.skill(student, skill_id)
    for _, skill in ipairs(student.skills or {}) do
        if skill.id == skill_id then
            return skill
        end
    end
    return nil
end

-- The student's winning recommendations as class.results holds them (the real list behind the
-- proxy, when there is one), or an empty list.
local function results_of(class, student_id)
    local results = class.results and class.results[student_id]
    results = results or {}
    return input_table and input_table(results) or results
end

--- A student's results (winning recommendations) for a skill, in output order; with `action`,
--- only those with that action. Empty when the class has no results for the student.
---@param class table the `class` argument of evaluate_class
---@param student_id string
---@param skill_id string?
---@param action string?
---@return table[]
function trellis.class.results(class, student_id, skill_id, action)
    local out = {}
    for _, result in ipairs(results_of(class, student_id)) do
        if result.skill == skill_id and (action == nil or result.action == action) then
            out[#out + 1] = result
        end
    end
    return out
end

--- A student's results (winning recommendations), by skill id, each skill's in output order, for a
--- rule that asks about several of the student's skills: one read of `class.results` for the
--- student, where trellis.class.results reads (and, over a streamed roster, finds) the student's
--- results again for each question. Results about no skill are left out. The tables are fresh for
--- each call: the rule may keep or change them.
---
---     local by_skill = trellis.class.results_by_skill(class, student.id)
---     for _, result in ipairs(by_skill[skill.id] or {}) do
---         if result.action == "step_back" then ... end
---     end
---@param class table the `class` argument of evaluate_class
---@param student_id string
---@return table<string, table[]>
function trellis.class.results_by_skill(class, student_id)
    local by_skill = {}
    for _, result in ipairs(results_of(class, student_id)) do
        local skill_id = result.skill
        if skill_id ~= nil then
            local list = by_skill[skill_id]
            if list == nil then
                list = {}
                by_skill[skill_id] = list
            end
            list[#list + 1] = result
        end
    end
    return by_skill
end

--- The first result of a list with the action, or nil (for the lists of trellis.class.results_by_skill).
---@param results table[]?
---@param action string
---@return table?
function trellis.class.first(results, action)
    for _, result in ipairs(results or {}) do
        if result.action == action then
            return result
        end
    end
    return nil
end

--- How a reason names a student: "Maya R. (s-101)" with a `name`, else the id "s-101".
---@param student table
---@return string
function trellis.format.student(student)
    local name = student.name
    if type(name) == "string" and name ~= "" then
        return string.format("%s (%s)", name, tostring(student.id))
    end
    return tostring(student.id)
end

return trellis
