-- Maintenance probes: a mastered skill is checked now and then, without teaching, to see that the
-- student still has it. A probe is due every `probe_weeks` weeks after mastery; a probe below
-- `probe_percent` correct reopens the skill for teaching.
--
-- Reads two extension fields: the skill's `mastered_on` (the date it was mastered, YYYY-MM-DD) and
-- the sessions' `probe` (true for a maintenance probe). Skills without `mastered_on` are not in
-- maintenance and get nothing from this rule. Probes dated before `mastered_on` belong to an
-- earlier round of teaching and do not count.
--
-- Defaults and where they come from:
--   probe_weeks   = 4   maintenance in the mastery-criterion studies was checked for up to a month
--                       after mastery (Longino, E., Richling, S. M., et al. (2021). The effects of
--                       mastery criteria on maintenance: a replication with most-to-least prompting.
--                       Behavior Analysis in Practice, 15(2), 397-405); a monthly probe keeps that
--                       interval for as long as the skill is in maintenance.
--   probe_percent = 80  a probe should still meet the percent the skill was mastered at: the 80%
--                       mastery criterion of the data contract, section 3.

local fmt = trellis.format

local function day(date)
    return string.sub(date, 1, 10)
end

-- The probes that count since mastery, oldest first, and notes for probes that cannot count.
local function probes_since(skill, mastered_on)
    local probes, notes = {}, {}
    for _, s in ipairs(skill.sessions) do
        if s.probe == true then
            local since = s.date and trellis.date.days_between(mastered_on, s.date)
            if s.date == nil then
                notes[#notes + 1] = { skill = skill.id, note = "a maintenance probe of " .. skill.id
                    .. " has no date: it is not counted" }
            elseif trellis.percent(s) == nil then
                notes[#notes + 1] = { skill = skill.id, note = string.format(
                    "the maintenance probe of %s on %s has no trials recorded: it is not counted",
                    skill.id, day(s.date)) }
            elseif since >= 0 then
                probes[#probes + 1] = s
            end
        end
    end
    return probes, notes
end

local function decide(skill, ctx)
    local p = ctx.params
    local mastered_on = skill.mastered_on
    if not trellis.date.is_date(mastered_on) then
        local given = type(mastered_on) == "string" and mastered_on or ("a " .. type(mastered_on))
        return { { skill = skill.id, note = string.format(
            "mastered_on of %s is not a date (YYYY-MM-DD): %s", skill.id, given) } }
    end
    local probes, out = probes_since(skill, mastered_on)
    local newest = probes[#probes]
    local interval = p.probe_weeks * 7

    if newest and trellis.percent(newest) < p.probe_percent then
        local percent = math.floor(trellis.percent(newest))
        out[#out + 1] = {
            skill = skill.id,
            kind = "maintenance",
            action = "reopen",
            reason = string.format("maintenance probe on %s: %d%% correct, below %s%%: reopen %s for teaching",
                day(newest.date), percent, fmt.number(p.probe_percent), skill.id),
            evidence = { mastered_on = day(mastered_on), probe = trellis.sessions.evidence({ newest })[1],
                needed = p.probe_percent },
        }
        return out
    end

    local since_mastery = trellis.date.days_between(mastered_on, ctx.as_of)
    local since_probe = newest and trellis.date.days_between(newest.date, ctx.as_of)
    if since_mastery >= interval and (since_probe == nil or since_probe >= interval) then
        local last
        if newest then
            last = string.format("the last probe was on %s (%s ago, %d%% correct)", day(newest.date),
                fmt.count(since_probe, "day"), math.floor(trellis.percent(newest)))
        else
            last = string.format("no probe since (%s)", fmt.count(since_mastery, "day"))
        end
        out[#out + 1] = {
            skill = skill.id,
            kind = "maintenance",
            action = "probe",
            reason = string.format("mastered on %s; %s: probe %s now (a probe is due every %s)",
                day(mastered_on), last, skill.id, fmt.count(p.probe_weeks, "week")),
            evidence = {
                mastered_on = day(mastered_on),
                last_probe = newest and day(newest.date) or nil,
                days_since = since_probe or since_mastery,
                interval_days = interval,
            },
        }
    end
    return out
end

return {
    id = "maintenance-probe",
    api = 1,
    description = "Probe mastered skills every few weeks; reopen a skill whose newest probe is below the criterion",
    priority = 50,
    params = {
        probe_weeks = {
            default = 4, type = "integer", min = 1, max = 52,
            description = "Weeks between maintenance probes of a mastered skill, and from mastery to the first",
        },
        probe_percent = {
            default = 80, type = "number", min = 0, max = 100,
            description = "Percent correct the newest probe needs, at least, or the skill is reopened",
        },
    },

    evaluate = function(student, ctx)
        local out = {}
        for _, skill in ipairs(student.skills) do
            -- Skills without mastered_on are not in maintenance: nothing to say.
            if skill.mastered_on ~= nil then
                for _, item in ipairs(decide(skill, ctx)) do
                    out[#out + 1] = item
                end
            end
        end
        return out
    end,
}
