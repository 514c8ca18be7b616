---@meta trellis
-- Definitions of the Trellis rule API, version 1, for the Lua language server (LuaLS, the "Lua"
-- extension of VS Code, Neovim's lua_ls...). Never loaded by Trellis: it only tells an editor
-- what a rule receives, what it may return and what each helper does, so that it completes
-- `trellis.`, `student.`, `ctx.` and checks types. The repository's .luarc.json points LuaLS here.
--
-- The helper functions are implemented in Sources/Trellis/RuleAPI/helpers.lua; their annotations
-- here follow that file (Tests/TrellisTests/LintTests.swift fails when a helper is missing here).
-- The API itself is documented in docs/rules.md and docs/rule-api.md.

---------------------------------------------------------------------------------------------------
-- What a rule receives
---------------------------------------------------------------------------------------------------

---@alias trellis.Ladder string[] levels ordered from most support to least

---@alias trellis.LevelField "prompt_level"|"stage"

--- One teaching session of a skill. Absent fields are nil; fields the document adds beyond the
--- contract (such as `delay` or `probe`, read by the bundled rules) are passed through unchanged.
---@class trellis.Session
---@field date string? `YYYY-MM-DD`, optionally followed by a time (`2026-11-17T09:30:00Z`)
---@field prompt_level string? on the prompt ladder
---@field stage string? on the stage ladder
---@field trials integer? whole, not negative
---@field correct integer? at most `trials`
---@field independent integer? trials done without a prompt, at most `trials`
---@field setting string? where the session took place
---@field staff string? who ran it
---@field delay number? extension (time-delay): seconds of delay in the session
---@field probe boolean? extension (maintenance-probe): true for a maintenance probe
---@field [string] any any other field of the document

--- A skill the student is working on.
---@class trellis.Skill
---@field id string unique within the student
---@field domain string? `adaptive`, `academic`... (free text)
---@field prompt_level string? the current prompt level, when recorded
---@field stage string? the current stage, when recorded
---@field sessions trellis.Session[] oldest first; always a list, possibly empty
---@field badge trellis.Badge? the badge the student already holds for the skill (contract section 5)
---@field mastered_on string? extension (maintenance-probe): the date the skill was mastered
---@field mastery trellis.Mastery? extension: where a practice platform (Khan Academy) says the student stands
---@field [string] any any other field of the document

---@alias trellis.MasteryLevel "not_started"|"attempted"|"familiar"|"proficient"|"mastered"

--- A skill's `mastery` (docs/formats.md, "Mastery"), checked on input.
---@class trellis.Mastery
---@field level trellis.MasteryLevel least to most: not_started, attempted, familiar, proficient, mastered
---@field date string `YYYY-MM-DD`: the day the level was reached or the skill last practised
---@field source string? where the level comes from (`khan`)
---@field points number? mastery points, not negative (Khan: 100 a skill)
---@field percent number? from 0 to 100
---@field course string? Khan's course
---@field unit string? Khan's unit
---@field skills table[]? the Khan skills this skill was made of: `name`, `level`, `date`, `points`
---@field [string] any any other field of the document

---@alias trellis.WorkStatus "assigned"|"submitted"|"graded"|"missing"|"exempt"

---@alias trellis.Badge "bronze"|"silver"|"gold"

--- The steps of a work item's checklist or learning contract (contract section 5): whole numbers,
--- `0 <= done <= total`, `total >= 1` (the engine has checked them).
---@class trellis.Checklist
---@field done integer steps done
---@field total integer steps in all
---@field [string] any any other field of the document

--- A piece of assigned work.
---@class trellis.WorkItem
---@field id string?
---@field skill string? the skill id it practises
---@field status trellis.WorkStatus?
---@field score number? from 0 to 1, when graded
---@field due string? `YYYY-MM-DD`
---@field modality string? `worksheet`, `video`... (free text)
---@field checklist trellis.Checklist? its checklist or learning contract (contract section 5)
---@field [string] any any other field of the document

--- A student's own traffic-light rating of a skill.
---@class trellis.SelfAssessment
---@field date string?
---@field skill string?
---@field rating? "green"|"yellow"|"red"
---@field [string] any any other field of the document

---@class trellis.Preferences
---@field modalities string[] most preferred first; always a list, possibly empty
---@field [string] any any other field of the document

--- One student's record, as `evaluate(student, ctx)` receives it: read-only (index it, use `#`,
--- `ipairs` and `pairs`; `next`, `rawget` and `rawlen` see an empty table).
---@class trellis.Student
---@field id string unique in the input
---@field name string?
---@field flags string[] such as `iep`, or `no_badges` (opted out of badges); always a list, possibly empty
---@field preferences trellis.Preferences
---@field skills trellis.Skill[] always a list, possibly empty
---@field work trellis.WorkItem[] always a list, possibly empty
---@field self_assessments trellis.SelfAssessment[] always a list, possibly empty
---@field goals table[]? extension (goal-reflection): the student's goals
---@field [string] any any other field of the document

--- An activity a choice menu can offer, from the document's `catalog`.
---@class trellis.CatalogItem
---@field id string unique in the catalog
---@field title string?
---@field kind string? what the student does: `show`, `practice`... (free text); `mini_lesson`: a short recorded lesson
---@field modality string? how: `video`, `drawing`, `worksheet`... (free text)
---@field skills string[] the skills it practises; always a list, possibly empty
---@field minutes number? how long it takes, in minutes, above 0 (a `mini_lesson`'s length)
---@field [string] any any other field of the document

--- The ladders of the document (or of the configuration, or the defaults): `prompt`, `stage` and
--- any other ladder the document names, each most support first.
---@class trellis.Ladders
---@field prompt trellis.Ladder
---@field stage trellis.Ladder
---@field [string] trellis.Ladder

--- The document's `class`.
---@class trellis.ClassInfo
---@field id string?
---@field title string?
---@field staff string[] staff ids
---@field [string] any any other field of the document

--- What every call of a rule shares: the class-level fields and the rule's own settings.
---@class trellis.Ctx
---@field as_of string the date the recommendations are for, `YYYY-MM-DD`
---@field params table<string, any> the rule's parameter values by name: defaults, replaced by a configuration or `--param`
---@field ladders trellis.Ladders
---@field catalog trellis.CatalogItem[] possibly empty
---@field class trellis.ClassInfo? the document's `class`, or nil
---@field rule { id: string } the rule's own id
---@field emit fun(item: trellis.Recommendation|trellis.Note) in `evaluate_class` only: hands over one recommendation or note now, as if returned (emitted items come before the returned ones); an invalid item raises an error here
---@field log fun(...: any) the rule author's `print`: its arguments, shown as `tostring` shows them and joined by spaces, appear in `trellis test` and `trellis explain`, never in a report (at most 100 messages a call, 2,000 bytes each)

--- A winning recommendation of one student, as `evaluate_class` sees it in `class.results` and a
--- rule with `reads_results` in `evaluate`'s third argument.
---@class trellis.Result
---@field skill string?
---@field kind string
---@field action string
---@field from string?
---@field to string?
---@field rule string the id of the rule that made it
---@field reason string
---@field priority number

--- What `evaluate_class(class, ctx)` receives: the class's fields, every evaluated student and
--- each student's winning recommendations. Read-only, like the student.
---@class trellis.Class
---@field id string?
---@field title string?
---@field staff string[]
---@field students trellis.Student[] every evaluated student, in input order (skipped students are left out)
---@field results table<string, trellis.Result[]> each student's winning recommendations, by student id
---@field [string] any any other field of the document's `class`

---------------------------------------------------------------------------------------------------
-- What a rule returns
---------------------------------------------------------------------------------------------------

--- A choice offered on a menu: a catalog item (`id` required; `title` and `modality` are kept).
---@class trellis.Option
---@field id string
---@field title string?
---@field modality string?

---@alias trellis.Kind "prompt"|"scaffold"|"choices"|string
---@alias trellis.Action "fade"|"step_back"|"hold"|"mastered"|"advance"|"offer"|string

--- A recommendation. For kind `prompt` the action is `fade`, `step_back`, `hold` or `mastered`;
--- for `scaffold`: `advance`, `step_back`, `hold` or `mastered`; for `choices`: `offer` (with
--- `options`). Kinds of your own take any action. Further fields are passed to the JSON output.
---@class trellis.Recommendation
---@field skill string? the skill's id; nil for the student (or the class) as a whole
---@field kind trellis.Kind
---@field action trellis.Action
---@field reason string why, in words a teacher reads; not empty
---@field from string? a level; on the prompt (or stage) ladder for kind `prompt` (or `scaffold`)
---@field to string? a level, likewise
---@field options trellis.Option[]? required (not empty) for kind `choices`
---@field evidence any? the numbers the rule used: any JSON-shaped value
---@field priority number? overrides the rule's priority for this recommendation
---@field [string] any further JSON-shaped fields, passed through to the output

--- A note: the rule decided nothing for a skill, and why. Shown under `notes` in the output.
---@class trellis.Note
---@field skill string?
---@field note string

---@alias trellis.Output (trellis.Recommendation|trellis.Note)[]

---------------------------------------------------------------------------------------------------
-- The rule table
---------------------------------------------------------------------------------------------------

---@alias trellis.ParamType "number"|"integer"|"string"|"boolean"|"list"

--- A parameter declaration: `{ default = 80, type = "number", min = 0, max = 100, description = "..." }`.
---@class trellis.ParamDeclaration
---@field default number|string|boolean|any[] the value the rule runs with unless a configuration or `--param` replaces it
---@field type trellis.ParamType? inferred from the default when left out
---@field min number? the smallest accepted value (numbers)
---@field max number? the largest accepted value (numbers)
---@field description string? one line, shown by `trellis rules` and in errors

--- What a rule file returns. Annotate it so that the editor checks it:
---
--- ```lua
--- ---@type trellis.Rule
--- return {
---   id = "session-due",
---   api = 1,
---   evaluate = function(student, ctx) return {} end,
--- }
--- ```
---@class trellis.Rule
---@field id string unique, non-empty; names the rule in output, errors, `--param` and configurations
---@field api integer? the rule API version the rule is written for: 1 (the default)
---@field description string? one line saying what the rule decides
---@field priority number? higher wins a conflict for the same student, skill and kind; 0 when left out
---@field params table<string, trellis.ParamDeclaration|number|string|boolean|any[]>? declarations, or plain defaults
---@field reads_results boolean? true: `evaluate` runs after the student's other rules and gets their winning recommendations as `results`
---@field evaluate fun(student: trellis.Student, ctx: trellis.Ctx, results: trellis.Result[]?): trellis.Output? called once per student; `results` (in output order) only with `reads_results`
---@field evaluate_class? fun(class: trellis.Class, ctx: trellis.Ctx): trellis.Output? called once per run, after every student

---------------------------------------------------------------------------------------------------
-- The helper library: the read-only global `trellis`
---------------------------------------------------------------------------------------------------

--- The helper library every rule sees as the global `trellis` (read-only).
---@class trellis.Helpers
trellis = {}

--- The helper library's API version: 1.
---@type integer
trellis.api = 1

--- A read-only copy of `value`, nested tables included: for a rule file's module-level tables.
--- A rule whose module-level locals hold only such constants, numbers, strings and functions is
--- not run afresh for each student (it is checked after every call), which saves its top-level code.
--- A constant holds values only: keys that are strings, numbers or booleans; values that are those,
--- tables of them and the engine's own functions. A table key, a rule's own function or a
--- coroutine is an error naming where it is.
---@generic T: table
---@param value T
---@return T
function trellis.constant(value) end

trellis.ladder = {}

--- The position of a level on a ladder (1 = most support).
--- `trellis.ladder.index(ctx.ladders.prompt, "model") --> 3`
---@param ladder trellis.Ladder
---@param level string?
---@return integer? index nil when the level is not on the ladder
function trellis.ladder.index(ladder, level) end

--- The level with one step less support, or nil at the last level (or off the ladder).
--- `trellis.ladder.next(ctx.ladders.prompt, "gestural") --> "verbal"`
---@param ladder trellis.Ladder
---@param level string?
---@return string?
function trellis.ladder.next(ladder, level) end

--- The level with one step more support, or nil at the first level (or off the ladder).
--- `trellis.ladder.previous(ctx.ladders.prompt, "gestural") --> "model"`
---@param ladder trellis.Ladder
---@param level string?
---@return string?
function trellis.ladder.previous(ladder, level) end

--- Whether the level is the first (most support) level of the ladder.
--- `trellis.ladder.is_first(ctx.ladders.stage, "modeled") --> true`
---@param ladder trellis.Ladder
---@param level string?
---@return boolean
function trellis.ladder.is_first(ladder, level) end

--- Whether the level is the last (least support) level of the ladder.
--- `trellis.ladder.is_last(ctx.ladders.prompt, "independent") --> true`
---@param ladder trellis.Ladder
---@param level string?
---@return boolean
function trellis.ladder.is_last(ladder, level) end

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
---@field action string `words.advance`, "mastered", "step_back" or "hold"
---@field from string the current level
---@field to string? the level advanced or stepped back to
---@field reason string
---@field evidence table `level`, `sessions` (as trellis.sessions.evidence) and, when holding, `needed`

--- One step on a ladder for a skill, from the newest run of sessions at its current level: advance
--- (or "mastered" at the last level) when the newest `advance_sessions` all meet `advance_percent`
--- with `min_trials`; else step back when the newest `step_back_sessions` are all below
--- `step_back_percent` (hold at the first level, saying so); else hold. Nil without a current
--- level. The decision of the bundled prompt-fading and scaffold-stage.
--- ```lua
--- local step = trellis.ladder.step(skill, "prompt_level", ctx.ladders.prompt,
---     { advance_sessions = 3, advance_percent = 80, step_back_sessions = 2, step_back_percent = 50,
---       min_trials = 5 },
---     { advance = "fade", advancing = "fading", level = "level" })
--- -- step.action "fade", step.from "gestural", step.to "verbal", step.reason "3 sessions in a row
--- -- at gestural with at least 80% correct (80%, 90%, 100%)"
--- ```
---@param skill trellis.Skill
---@param field "prompt_level"|"stage"
---@param ladder trellis.Ladder
---@param criteria trellis.StepCriteria
---@param words trellis.StepWords
---@return trellis.Step?
function trellis.ladder.step(skill, field, ladder, criteria, words) end

--- Step back one level, or hold at the first level and say there is nothing before it.
--- `trellis.ladder.step_back(ctx.ladders.stage, "modeled", "2 missing work items", "stage")
--- --> "hold", nil, "2 missing work items, but modeled is the first stage: nothing to step back to"`
---@param ladder trellis.Ladder
---@param level string
---@param why string the reason for stepping back
---@param noun string what a rung of the ladder is called ("level", "stage")
---@return "step_back"|"hold" action
---@return string? to
---@return string reason
function trellis.ladder.step_back(ladder, level, why, noun) end

trellis.sessions = {}

--- The last n items of a list, oldest first (all of them when n is nil).
--- `trellis.sessions.newest(skill.sessions, 3)`
---@generic T
---@param list T[]
---@param n integer?
---@return T[]
function trellis.sessions.newest(list, n) end

--- A skill's current level: its own `field` when given, else that of its newest session.
--- `trellis.sessions.current_level(skill, "prompt_level") --> "gestural"`
---@param skill trellis.Skill
---@param field trellis.LevelField
---@return string?
function trellis.sessions.current_level(skill, field) end

--- The newest run of consecutive sessions at `level`, oldest first. Walks back from the newest
--- session and stops at the first one at another level (or without the field): sessions before
--- the most recent change of level do not count, so a student who stepped back starts a new run.
--- `trellis.sessions.at_level(skill, "stage", "guided", 3)`
---@param skill trellis.Skill
---@param field trellis.LevelField
---@param level string
---@param n integer? at most this many (the newest ones)
---@return trellis.Session[]
function trellis.sessions.at_level(skill, field, level, n) end

--- The run of sessions at the skill's current level (empty when there is no current level).
--- `local run = trellis.sessions.run(skill, "prompt_level")`
---@param skill trellis.Skill
---@param field trellis.LevelField
---@return trellis.Session[]
function trellis.sessions.run(skill, field) end

--- A small JSON-friendly summary of sessions for `evidence`: date, percent (rounded down, as
--- displayed in reasons), trials and correct of each. Nil for an empty list.
--- `evidence = { sessions = trellis.sessions.evidence(shown) }`
---@param list trellis.Session[]
---@return { date: string?, percent: integer?, trials: integer?, correct: integer? }[]?
function trellis.sessions.evidence(list) end

--- The sessions that show a skill mastered on one ladder: the newest `params.sessions` sessions
--- of the run at the skill's current `field` level, when that level is the last level of `ladder`
--- and they all meet `params.percent` / `params.min_trials`. Nil when not mastered on that ladder.
--- `local shown, level = trellis.sessions.mastery_run(skill, "stage", ctx.ladders.stage)`
---@param skill trellis.Skill
---@param field trellis.LevelField
---@param ladder trellis.Ladder
---@param params { sessions: integer?, percent: number?, min_trials: integer? }? defaults 3, 80, 5
---@return trellis.Session[]? sessions oldest first
---@return string? level the last level of the ladder, when mastered
function trellis.sessions.mastery_run(skill, field, ladder, params) end

--- Percent of trials correct, or nil when the session has no trials (nil or 0). A missing
--- `correct` counts as 0.
--- `trellis.percent({ trials = 10, correct = 9 }) --> 90.0`
---@param session trellis.Session
---@return number?
function trellis.percent(session) end

--- `x` rounded to `places` decimals (0 when nil): the nearest such number, and on an exact tie the
--- even one, as C's printf and Python's round() do. It rounds the number's exact binary value.
--- `trellis.round(2 / 3, 2) --> 0.67`, `trellis.round(0.125, 2) --> 0.12`
---@param x number
---@param places integer? 0 to 15
---@return number
function trellis.round(x, places) end

--- The probability that a skill is mastered, by Bayesian Knowledge Tracing applied once per
--- session, oldest first. From P(L) = `prior`, a session of n trials with c correct updates
--- P(L | obs) = P(L)(1-s)^c s^(n-c) / (P(L)(1-s)^c s^(n-c) + (1-P(L)) g^c (1-g)^(n-c)), then
--- P(L) <- P(L | obs) + (1 - P(L | obs)) T (T = `learn`, g = `guess`, s = `slip`). Returns P(L)
--- after the last session. A session without trials only learns; a missing `correct` is 0.
--- `trellis.mastery_probability(skill.sessions) --> 0.87` for sessions of 2/5 then 4/5 correct
---@param sessions trellis.Session[] oldest first
---@param params { prior: number?, learn: number?, guess: number?, slip: number? }? each from 0 to 1; defaults 0.1, 0.1, 0.2, 0.1
---@return number
function trellis.mastery_probability(sessions, params) end

--- Whether a session has at least `min_percent` correct and at least `min_trials` trials.
--- `trellis.meets(session, 80, 5)`
---@param session trellis.Session
---@param min_percent number
---@param min_trials integer
---@return boolean
function trellis.meets(session, min_percent, min_trials) end

--- Whether a session has less than `max_percent` correct with at least `min_trials` trials.
--- `trellis.below(session, 50, 5)`
---@param session trellis.Session
---@param max_percent number
---@param min_trials integer
---@return boolean
function trellis.below(session, max_percent, min_trials) end

--- Whether the newest n sessions all satisfy `predicate` (false when there are fewer than n),
--- and how many of the newest sessions in a row satisfy it (at most n).
--- `local met, count = trellis.consecutive(run, 3, function(s) return trellis.meets(s, 80, 5) end)`
---@param sessions trellis.Session[]
---@param n integer
---@param predicate fun(session: trellis.Session): boolean
---@return boolean met
---@return integer count
function trellis.consecutive(sessions, n, predicate) end

--- Whether the skill is mastered: the newest `params.sessions` sessions of the run at the current
--- level all meet `params.percent` / `params.min_trials`, and that level is the last level of the
--- prompt ladder or of the stage ladder.
--- `trellis.is_mastered(skill, ctx.ladders, { sessions = 3, percent = 80, min_trials = 5 })`
---@param skill trellis.Skill
---@param ladders { prompt: trellis.Ladder, stage: trellis.Ladder }
---@param params { sessions: integer?, percent: number?, min_trials: integer? }? defaults 3, 80, 5
---@return boolean
function trellis.is_mastered(skill, ladders, params) end

--- Whether the student's `flags` list contains the flag.
--- `trellis.has_flag(student, "iep")`
---@param student trellis.Student
---@param flag string
---@return boolean
function trellis.has_flag(student, flag) end

trellis.work = {}

--- The student's work items for a skill whose status is "missing".
--- `local count, ids = trellis.work.missing(student, "fractions")`
---@param student trellis.Student
---@param skill_id string
---@return integer count
---@return string[] ids in input order
function trellis.work.missing(student, skill_id) end

--- The n most recent work items, oldest first. Ordered by `due` (YYYY-MM-DD compares as text);
--- items without `due` count as the oldest; ties keep input order.
--- `trellis.work.recent(student, 2)`
---@param student trellis.Student
---@param n integer
---@return trellis.WorkItem[]
function trellis.work.recent(student, n) end

trellis.catalog = {}

--- The catalog items whose `skills` list contains the skill, in catalog order.
--- `trellis.catalog.for_skill(ctx.catalog, skill.id)`
---@param catalog trellis.CatalogItem[]
---@param skill_id string
---@return trellis.CatalogItem[]
function trellis.catalog.for_skill(catalog, skill_id) end

trellis.menu = {}

--- Chooses menu options for a skill from the catalog: `count` items, at least `min_modalities`
--- modalities where the catalog allows, the student's preferred modalities first, leaving out the
--- modalities of the `recent_work` most recent work items where the catalog allows.
--- `local options, info = trellis.menu.choose(student, skill.id, ctx.catalog, { count = 3 })`
---@param student trellis.Student
---@param skill_id string
---@param catalog trellis.CatalogItem[]
---@param opts { count: integer?, min_modalities: integer?, recent_work: integer? }? defaults 3, 2, 2
---@return trellis.Option[] options
---@return { modalities: string[], left_out: string[], preferred: string[] } info modalities of the
---  options (in option order), recently used modalities left out although the catalog had them,
---  and the student's preferred modalities that are among the options (in the student's order)
function trellis.menu.choose(student, skill_id, catalog, opts) end

trellis.date = {}

--- The year, month and day of a `YYYY-MM-DD` date (a real calendar day, optionally followed by a
--- time, which is ignored), or nil for anything else.
--- `trellis.date.parse("2026-11-20") --> 2026, 11, 20`
---@param text any
---@return integer? year
---@return integer? month
---@return integer? day
function trellis.date.parse(text) end

--- Whether `text` is a `YYYY-MM-DD` date (optionally followed by a time), a real calendar day.
--- `trellis.date.is_date(skill.mastered_on)`
---@param text any
---@return boolean
function trellis.date.is_date(text) end

--- The number of days from date `a` to date `b`: positive when `b` is later, 0 on the same day,
--- negative when `b` is earlier. Nil when either is not a date.
--- `trellis.date.days_between("2026-11-13", ctx.as_of) --> 7 (as of 2026-11-20)`
---@param a string YYYY-MM-DD
---@param b string YYYY-MM-DD
---@return integer?
function trellis.date.days_between(a, b) end

--- The date `n` days after `date` (before it when `n` is negative), as `YYYY-MM-DD`. Nil when
--- `date` is not a date or `n` is not a whole number.
--- `trellis.date.add_days("2026-11-20", -7) --> "2026-11-13"`
---@param date string YYYY-MM-DD
---@param n integer
---@return string?
function trellis.date.add_days(date, n) end

trellis.format = {}

--- A number without a trailing ".0".
--- `trellis.format.number(80.0) --> "80"`
---@param x number
---@return string
function trellis.format.number(x) end

--- Items joined with ", ".
--- `trellis.format.list({ "video", "drawing" }) --> "video, drawing"`
---@param list any[]
---@return string
function trellis.format.list(list) end

--- Session percents as text, rounded down (a reason never shows a threshold a session missed).
--- A session without trials shows "no trials"; with `min_trials`, a session with fewer trials
--- shows its count ("100% of 4 trials").
--- `trellis.format.percents(shown) --> "90%, 90%, 100%"`
---@param sessions trellis.Session[]
---@param min_trials integer?
---@return string
function trellis.format.percents(sessions, min_trials) end

--- A count with its noun, plural unless the count is 1.
--- `trellis.format.count(3, "session") --> "3 sessions"`
---@param n number
---@param noun string singular
---@param plural string? defaults to noun .. "s"
---@return string
function trellis.format.count(n, noun, plural) end

--- How a reason names a student: "Maya R. (s-101)" with a `name`, else the id.
--- `trellis.format.student(student) --> "Ava R. (s-101)"`
---@param student trellis.Student
---@return string
function trellis.format.student(student) end

trellis.class = {}

--- The skill ids of the students, each once, in order of first appearance.
--- `for _, skill_id in ipairs(trellis.class.skill_ids(class.students)) do ... end`
---@param students trellis.Student[]
---@return string[]
function trellis.class.skill_ids(students) end

--- The student's skill with the given id (the first one in the record), or nil.
--- `local skill = trellis.class.skill(student, "fractions")`
---@param student trellis.Student
---@param skill_id string
---@return trellis.Skill?
function trellis.class.skill(student, skill_id) end

--- A student's results (winning recommendations) for a skill (nil: those about no skill), in
--- output order; with `action`, only those with that action.
--- `trellis.class.results(class, student.id, "fractions", "step_back")[1]`
---@param class trellis.Class the `class` argument of evaluate_class
---@param student_id string
---@param skill_id string?
---@param action string?
---@return trellis.Result[]
function trellis.class.results(class, student_id, skill_id, action) end

--- A student's results by skill id, each skill's in output order (results about no skill left
--- out): one read of `class.results` for a rule that asks about several of the student's skills.
--- Fresh tables for each call.
--- `trellis.class.first(trellis.class.results_by_skill(class, student.id)["fractions"], "step_back")`
---@param class trellis.Class the `class` argument of evaluate_class
---@param student_id string
---@return table<string, trellis.Result[]>
function trellis.class.results_by_skill(class, student_id) end

--- The first result of a list with the action, or nil.
---@param results trellis.Result[]?
---@param action string
---@return trellis.Result?
function trellis.class.first(results, action) end

---------------------------------------------------------------------------------------------------
-- os, as the sandbox has it
---------------------------------------------------------------------------------------------------

-- A rule's `os` holds only these four functions (no files, processes, environment or exit).
-- .luarc.json turns LuaLS's own `os` off, so that `os.getenv` or `os.exit` are flagged as
-- undefined, and these definitions take its place. Prefer `ctx.as_of` and `trellis.date` to the
-- clock: a rule that reads the clock gives different answers on different days for the same data.

---@class trellis.os
os = {}

--- The current time as a number (seconds since the epoch), or the time that `date` describes.
---@param date { year: integer, month: integer, day: integer, hour: integer?, min: integer?, sec: integer?, isdst: boolean? }?
---@return integer
function os.time(date) end

--- A date and time as a string, or as a table with `format` "*t" (or "!*t" for UTC).
---@param format string?
---@param time integer?
---@return string|table
function os.date(format, time) end

--- The difference in seconds from time `t1` to time `t2`.
---@param t2 integer
---@param t1 integer?
---@return number
function os.difftime(t2, t1) end

--- Processor time used by the program, in seconds.
---@return number
function os.clock() end
