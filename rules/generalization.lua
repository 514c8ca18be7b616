-- Generalization before mastery: a skill that meets the mastery criterion at the last prompt level
-- or the last stage is not called mastered while every session of that mastery run took place in
-- one setting or with one staff member. The rule holds it instead (priority 60, over the mastered
-- decision of prompt-fading and scaffold-stage at 50) and says which of the two to vary.
--
-- Reads each session's `setting` and `staff` (contract fields). When a session of the mastery run
-- lacks either, the rule cannot tell and decides nothing (it leaves a note): the mastered decision
-- stands.
--
-- Defaults and where they come from:
--   mastery_sessions = 3, mastery_percent = 80, min_trials = 5: the mastery criterion of the data
--       contract, section 3 (the same defaults as prompt-fading and scaffold-stage; change them
--       together).
--   The check itself: generalization is programmed by training with more than one teacher and in
--       more than one setting ("train sufficient exemplars": Stokes, T. F., & Baer, D. M. (1977).
--       An implicit technology of generalization. JABA, 10(2), 349-367); a skill shown with one
--       person in one place has not yet shown that it generalizes.

local fmt = trellis.format

local LADDERS = trellis.constant({
    { field = "prompt_level", ladder = "prompt", kind = "prompt" },
    { field = "stage", ladder = "stage", kind = "scaffold" },
})

-- A recorded value: a non-empty string.
local function recorded(value)
    return type(value) == "string" and value ~= ""
end

-- The distinct values of `field` over the sessions, in order of first appearance.
local function distinct(sessions, field)
    local values, seen = {}, {}
    for _, s in ipairs(sessions) do
        local v = s[field]
        if not seen[v] then
            seen[v] = true
            values[#values + 1] = v
        end
    end
    return values
end

-- The dates of the sessions that lack a setting or a staff member ("an undated session" for one
-- without a date).
local function unrecorded(sessions)
    local which = {}
    for _, s in ipairs(sessions) do
        if not (recorded(s.setting) and recorded(s.staff)) then
            which[#which + 1] = s.date and string.sub(s.date, 1, 10) or "an undated session"
        end
    end
    return which
end

-- The hold for a mastery run in one setting and/or with one staff member, or nil when both vary.
local function single_context(skill, spec, level, shown)
    local settings, staff = distinct(shown, "setting"), distinct(shown, "staff")
    local one_setting, one_staff = #settings == 1, #staff == 1
    local reason
    if one_setting and one_staff then
        reason = string.format("mastered only in %s with %s: practise in another setting or with another "
            .. "staff member before calling it mastered", settings[1], staff[1])
    elseif one_setting then
        reason = string.format("mastered only in %s (with %s): practise in another setting before calling "
            .. "it mastered", settings[1], fmt.list(staff))
    elseif one_staff then
        reason = string.format("mastered only with %s (in %s): practise with another staff member before "
            .. "calling it mastered", staff[1], fmt.list(settings))
    else
        return nil
    end
    return {
        skill = skill.id,
        kind = spec.kind,
        action = "hold",
        from = level,
        reason = reason,
        evidence = {
            level = level,
            sessions = trellis.sessions.evidence(shown),
            settings = settings,
            staff = staff,
            single = (one_setting and one_staff) and "setting and staff" or (one_setting and "setting" or "staff"),
        },
    }
end

return {
    id = "generalization",
    api = 1,
    description = "Hold a skill mastered in only one setting or with only one staff member until it generalizes",
    priority = 60,
    params = {
        mastery_sessions = {
            default = 3, type = "integer", min = 1, max = 20,
            description = "Sessions in a row at the last prompt level or stage that count as mastered",
        },
        mastery_percent = {
            default = 80, type = "number", min = 0, max = 100,
            description = "Percent correct each of those sessions needs, at least",
        },
        min_trials = {
            default = 5, type = "integer", min = 0, max = 1000,
            description = "Trials each of those sessions needs, at least",
        },
    },

    evaluate = function(student, ctx)
        local p = ctx.params
        local mastery = { sessions = p.mastery_sessions, percent = p.mastery_percent, min_trials = p.min_trials }
        local out = {}
        for _, skill in ipairs(student.skills) do
            for _, spec in ipairs(LADDERS) do
                local shown, level = trellis.sessions.mastery_run(skill, spec.field, ctx.ladders[spec.ladder], mastery)
                if shown then
                    local missing = unrecorded(shown)
                    if #missing > 0 then
                        out[#out + 1] = { skill = skill.id, note = string.format(
                            "%s is mastered at %s, but the setting or staff is not recorded for the %s of %s: "
                            .. "generalization across settings and staff not checked",
                            skill.id, level, #missing == 1 and "session" or "sessions", fmt.list(missing)) }
                    else
                        out[#out + 1] = single_context(skill, spec, level, shown)
                    end
                end
            end
        end
        return out
    end,
}
