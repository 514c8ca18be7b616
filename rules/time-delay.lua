-- Constant time delay: teach a skill first with zero-second (errorless) trials, where the
-- controlling prompt follows the instruction at once; once the student responds correctly at 0 s,
-- wait a fixed number of seconds before prompting; go back to 0 s when errors creep in at the delay.
--
-- Reads the extension field `delay` on sessions: the seconds the prompt was delayed in that session
-- (0 = zero-second, errorless). Skills without `delay` in any session are not taught with time delay
-- and get nothing from this rule.
--
-- Defaults and where they come from:
--   zero_sessions  = 2    0-second trials are used "during initial instruction (e.g., for the first
--                         couple sessions)", then delay trials: Neitzel, J., & Wolery, M. (2009).
--                         Steps for implementation: Time delay. NPDC on ASD, FPG, UNC Chapel Hill.
--   zero_percent   = 100  at 0 s the prompt comes before the student can err, so every trial should
--                         be a prompted correct response (errorless learning: Touchette, P. E., &
--                         Howard, J. S. (1984). JABA, 17(2), 175-188); errors at 0 s mean the prompt
--                         does not control the response yet, so the delay waits.
--   constant_delay = 4    the fixed delay of constant time delay is a few seconds, typically 3 to 5
--                         in the 36 studies reviewed by Wolery, M., et al. (1992). Research in
--                         Developmental Disabilities, 13(3), 239-266; 4 is the middle of that range.
--   error_percent  = 20   more than 20% incorrect is a session below the 80% correct the bundled
--                         rules ask for before fading a prompt (data contract, section 3).
--   min_trials     = 5    the bundled rules' trials for a session to count (data contract, section 3).

local fmt = trellis.format

-- The newest sessions in a row whose delay equals `delay`, oldest first.
local function run_at(sessions, delay)
    local first = #sessions + 1
    while first > 1 and sessions[first - 1].delay == delay do
        first = first - 1
    end
    local run = {}
    for i = first, #sessions do
        run[#run + 1] = sessions[i]
    end
    return run
end

local function has_delay(skill)
    for _, s in ipairs(skill.sessions) do
        if s.delay ~= nil then
            return true
        end
    end
    return false
end

-- Percent of trials incorrect, rounded UP for the reason so that it never shows a threshold it
-- went over (20.5% shows as 21%); nil without trials.
local function error_percent(session)
    if trellis.percent(session) == nil then
        return nil
    end
    -- Multiply first, as trellis.percent does: 21 * 100 / 100 is exactly 21.
    local errors = (session.trials - (session.correct or 0)) * 100 / session.trials
    return errors, math.ceil(errors)
end

-- "on 2026-11-19", or "(no date)" for a session without a date.
local function when(session)
    return session.date and ("on " .. string.sub(session.date, 1, 10)) or "(no date)"
end

-- At 0 s: start the delay after enough errorless sessions, else hold at 0 s.
local function at_zero(skill, p)
    local run = run_at(skill.sessions, 0)
    local function succeeded(s)
        return trellis.meets(s, p.zero_percent, p.min_trials)
    end
    local shown = trellis.sessions.newest(run, p.zero_sessions)
    local rec = { skill = skill.id, kind = "time_delay" }
    if trellis.consecutive(run, p.zero_sessions, succeeded) then
        rec.action = "start_delay"
        rec.delay_to = p.constant_delay
        rec.reason = string.format(
            "%s in a row at 0 s with at least %s%% correct (%s): start a constant %s-second delay",
            fmt.count(p.zero_sessions, "session"), fmt.number(p.zero_percent),
            fmt.percents(shown), fmt.number(p.constant_delay))
        rec.evidence = { delay = 0, delay_to = p.constant_delay, sessions = trellis.sessions.evidence(shown) }
        return rec
    end
    rec.action = "hold"
    if #run < p.zero_sessions then
        rec.reason = string.format("%d of %s at 0 s so far: stay at 0 s",
            #run, fmt.count(p.zero_sessions, "session"))
    else
        rec.reason = string.format(
            "newest %s at 0 s: %s; starting the delay needs each at least %s%% correct with %s",
            fmt.count(p.zero_sessions, "session"), fmt.percents(shown, p.min_trials),
            fmt.number(p.zero_percent), fmt.count(p.min_trials, "trial"))
    end
    rec.evidence = { delay = 0, sessions = trellis.sessions.evidence(shown), needed = p.zero_sessions }
    return rec
end

-- At a delay: go back to 0 s when the newest session has too many errors, else keep the delay.
local function at_delay(skill, p, newest)
    local delay = newest.delay
    local errors, shown_errors = error_percent(newest)
    if errors == nil then
        return { skill = skill.id, note = string.format("the newest session of %s at %s s %s has no trials recorded",
            skill.id, fmt.number(delay), when(newest)) }
    end
    local rec = {
        skill = skill.id,
        kind = "time_delay",
        evidence = { delay = delay, error_percent = shown_errors, sessions = trellis.sessions.evidence({ newest }) },
    }
    local text = string.format("newest session at %s s %s: %d%% incorrect of %s",
        fmt.number(delay), when(newest), shown_errors, fmt.count(newest.trials, "trial"))
    if errors > p.error_percent and newest.trials >= p.min_trials then
        rec.action = "back_to_zero"
        rec.delay_to = 0
        rec.evidence.delay_to = 0
        rec.reason = string.format("%s, above %s%%: go back to 0-second (errorless) trials",
            text, fmt.number(p.error_percent))
    elseif errors > p.error_percent then
        rec.action = "hold"
        rec.reason = string.format(
            "%s, above %s%%, but going back to 0 s needs a session with %s: keep the %s-second delay",
            text, fmt.number(p.error_percent), fmt.count(p.min_trials, "trial"), fmt.number(delay))
    else
        rec.action = "hold"
        rec.reason = string.format("%s, at most %s%%: keep the %s-second delay",
            text, fmt.number(p.error_percent), fmt.number(delay))
    end
    return rec
end

-- The decision (or note) for a skill taught with time delay, from its newest session's delay.
local function decide(skill, p)
    local newest = skill.sessions[#skill.sessions]
    local delay = newest.delay
    if delay == nil then
        return { skill = skill.id, note = string.format(
            "the newest session of %s %s has no delay recorded", skill.id, when(newest)) }
    elseif math.type(delay) == nil or delay < 0 then
        return { skill = skill.id, note = string.format(
            "the delay of the newest session of %s %s is not a number of seconds", skill.id, when(newest)) }
    elseif delay == 0 then
        return at_zero(skill, p)
    end
    return at_delay(skill, p, newest)
end

return {
    id = "time-delay",
    api = 1,
    description = "Constant time delay: start the delay after errorless 0-second sessions, go back to 0 s after errors",
    priority = 50,
    params = {
        zero_sessions = {
            default = 2, type = "integer", min = 1, max = 20,
            description = "Sessions in a row at 0 s needed before the delay starts",
        },
        zero_percent = {
            default = 100, type = "number", min = 0, max = 100,
            description = "Percent correct each of those 0-second sessions needs, at least",
        },
        constant_delay = {
            default = 4, type = "number", min = 1, max = 60,
            description = "Seconds of the constant delay to start after the 0-second sessions",
        },
        error_percent = {
            default = 20, type = "number", min = 0, max = 100,
            description = "Percent incorrect in the newest session at a delay above which the student goes back to 0 s",
        },
        min_trials = {
            default = 5, type = "integer", min = 0, max = 1000,
            description = "Trials a session needs to count toward starting the delay or going back to 0 s",
        },
    },

    evaluate = function(student, ctx)
        local out = {}
        for _, skill in ipairs(student.skills) do
            -- Skills without any `delay` are not taught with time delay: nothing to say.
            if has_delay(skill) then
                out[#out + 1] = decide(skill, ctx.params)
            end
        end
        return out
    end,
}
