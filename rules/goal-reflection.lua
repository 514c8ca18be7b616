-- Goal reflection: each active goal a student has set gets a reflection every week. An active goal
-- with no reflection in the week ending ctx.as_of gets a reminder to reflect with the student.
--
-- Reads the student's `goals` (an extension field): a list of { id, skill (optional), text,
-- status = "active" | "met" | "dropped", reflections = { { date, text }, ... } }. Students without
-- `goals` get nothing from this rule; met and dropped goals need no reflection.
--
-- One recommendation per goal, with the goal's id in the field `goal`. The engine keeps one
-- recommendation per student, skill and kind, so active goals that share a skill (or that both have
-- none) and both need a reflection come as one recommendation naming every goal (`goal` is the
-- first, `goals` lists them all) rather than one hiding the other.
--
-- Defaults and where they come from:
--   days = 7   the week ending as_of, the rhythm of the weekly goal-reflection routine this rule is
--              written for; monitoring progress toward a goal promotes attaining it (Harkin, B.,
--              Webb, T. L., et al. (2016). Does monitoring goal progress promote goal attainment?
--              A meta-analysis. Psychological Bulletin, 142(2), 198-229).

local fmt = trellis.format

local STATUSES = trellis.constant({ active = true, met = true, dropped = true })

local function day(date)
    return string.sub(date, 1, 10)
end

-- Whether a goal has a reflection in the `days` days ending as_of, the date of its newest
-- reflection up to as_of, and notes for reflections whose date is not a date.
local function reflections_of(goal, label, as_of, days)
    local recent, newest, notes = false, nil, {}
    local list = goal.reflections
    if list == nil then
        return recent, newest, notes
    end
    if type(list) ~= "table" then
        notes[1] = { skill = goal.skill, note = "the reflections of " .. label .. " are not a list" }
        return recent, newest, notes
    end
    for _, r in ipairs(list) do
        local date = type(r) == "table" and r.date or nil
        local ago = trellis.date.days_between(date, as_of)
        if ago == nil then
            notes[#notes + 1] = { skill = goal.skill, note = string.format(
                "a reflection of %s has no YYYY-MM-DD date: it is not counted", label) }
        elseif ago >= 0 then
            recent = recent or ago < days
            if newest == nil or day(date) > newest then
                newest = day(date)
            end
        end
    end
    return recent, newest, notes
end

-- "g1 ("Read every night")" or "g1".
local function named(goal)
    if type(goal.text) == "string" and goal.text ~= "" then
        return string.format('%s ("%s")', goal.id, goal.text)
    end
    return goal.id
end

local function last_text(newest)
    return newest and ("last reflection " .. newest) or "no reflection yet"
end

return {
    id = "goal-reflection",
    api = 1,
    description = "Remind the teacher to reflect with the student on each active goal without a reflection this week",
    priority = 50,
    params = {
        days = {
            default = 7, type = "integer", min = 1, max = 366,
            description = "Days ending on as_of in which each active goal needs a reflection",
        },
    },

    evaluate = function(student, ctx)
        local p = ctx.params
        local goals = student.goals
        if goals == nil then
            return nil
        end
        if type(goals) ~= "table" then
            return { { note = "goals is not a list of goals" } }
        end
        local out = {}
        local due = {} -- { goal, newest } for the active goals without a recent reflection
        for i, goal in ipairs(goals) do
            local label = (type(goal) == "table" and type(goal.id) == "string") and ("goal " .. goal.id)
                or ("goal #" .. i)
            if type(goal) ~= "table" then
                out[#out + 1] = { note = label .. " is not a goal object" }
            elseif goal.skill ~= nil and type(goal.skill) ~= "string" then
                out[#out + 1] = { note = label .. " has a skill that is not a skill id: it is not checked" }
            elseif type(goal.id) ~= "string" or goal.id == "" then
                out[#out + 1] = { skill = goal.skill, note = label .. " has no id: it is not checked" }
            elseif not STATUSES[goal.status] then
                local status = goal.status
                local has = status == nil and "no status"
                    or ("status " .. (type(status) == "string" and status or ("a " .. type(status))))
                out[#out + 1] = { skill = goal.skill, note = string.format(
                    "%s has %s; expected active, met or dropped: it is not checked", label, has) }
            elseif goal.status == "active" then
                local recent, newest, notes = reflections_of(goal, label, ctx.as_of, p.days)
                for _, note in ipairs(notes) do
                    out[#out + 1] = note
                end
                if not recent then
                    due[#due + 1] = { goal = goal, newest = newest }
                end
            end
        end

        -- One recommendation per goal; goals that share a skill (or have none) share one.
        local slots, order = {}, {}
        for _, entry in ipairs(due) do
            local key = entry.goal.skill == nil and "" or ("skill:" .. entry.goal.skill)
            if slots[key] == nil then
                slots[key] = {}
                order[#order + 1] = key
            end
            table.insert(slots[key], entry)
        end
        local window = string.format("in the %s ending %s", fmt.count(p.days, "day"), day(ctx.as_of))
        for _, key in ipairs(order) do
            local entries = slots[key]
            local first = entries[1]
            local rec = {
                skill = first.goal.skill,
                kind = "reflection",
                action = "reflect",
                goal = first.goal.id,
                evidence = {
                    days = p.days,
                    since = trellis.date.add_days(ctx.as_of, 1 - p.days),
                    last_reflection = first.newest,
                },
            }
            if #entries == 1 then
                rec.reason = string.format("goal %s has no reflection %s (%s): reflect on it with the student",
                    named(first.goal), window, last_text(first.newest))
            else
                local ids, parts = {}, {}
                for _, entry in ipairs(entries) do
                    ids[#ids + 1] = entry.goal.id
                    parts[#parts + 1] = string.format("goal %s, %s", named(entry.goal), last_text(entry.newest))
                end
                rec.goals = ids
                rec.evidence.last_reflection = nil
                rec.reason = string.format(
                    "%d active goals have no reflection %s: %s; reflect on each with the student",
                    #entries, window, table.concat(parts, "; "))
            end
            out[#out + 1] = rec
        end
        return out
    end,
}
