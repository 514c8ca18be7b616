-- Scaffold stage: advance a skill one stage of the gradual release of responsibility when the
-- student succeeds at the current stage, step back one stage when they struggle or have missing
-- work for the skill (missing work comes first, even before advancing), and hold otherwise.
-- Only the run of sessions since the most recent change of stage counts.
-- Each recommendation's evidence also shows `mastery_probability`, the Bayesian Knowledge Tracing
-- estimate over all of the skill's sessions (trellis.mastery_probability, default parameters),
-- rounded to 2 decimals: for the team to read beside the decision, which does not use it.

local FIELD = "stage"

return {
    id = "scaffold-stage",
    api = 1,
    description = "Advance, step back or hold each skill's scaffolding stage from sessions and missing work",
    priority = 50,
    params = {
        advance_sessions = {
            default = 3, type = "integer", min = 1, max = 20,
            description = "Sessions in a row at the current stage needed to advance (or to call it mastered)",
        },
        advance_percent = {
            default = 80, type = "number", min = 0, max = 100,
            description = "Percent correct each of those sessions needs, at least",
        },
        step_back_sessions = {
            default = 2, type = "integer", min = 1, max = 20,
            description = "Sessions in a row at the current stage below step_back_percent to step back",
        },
        step_back_percent = {
            default = 50, type = "number", min = 0, max = 100,
            description = "A session below this percent correct counts toward stepping back",
        },
        min_trials = {
            default = 5, type = "integer", min = 0, max = 1000,
            description = "Trials a session needs to count toward advancing or stepping back",
        },
        missing_work = {
            default = 2, type = "integer", min = 1, max = 100,
            description = "Missing work items for the skill that make the student step back a stage",
        },
    },

    evaluate = function(student, ctx)
        local p, ladder = ctx.params, ctx.ladders.stage
        local fmt = trellis.format
        local function succeeded(s)
            return trellis.meets(s, p.advance_percent, p.min_trials)
        end
        local function struggled(s)
            return trellis.below(s, p.step_back_percent, p.min_trials)
        end
        -- Step back to `previous`, or hold at the first stage and say there is nothing before it.
        local function step_back(rec, level, why)
            local previous = trellis.ladder.previous(ladder, level)
            rec.action = previous and "step_back" or "hold"
            rec.to = previous
            rec.reason = previous and why
                or why .. ", but " .. level .. " is the first stage: nothing to step back to"
        end

        local out = {}
        for _, skill in ipairs(student.skills) do
            local level = trellis.sessions.current_level(skill, FIELD)
            if level == nil then
                out[#out + 1] = { skill = skill.id, note = "no stage recorded for " .. skill.id }
            else
                local run = trellis.sessions.at_level(skill, FIELD, level)
                local missing, missing_ids = trellis.work.missing(student, skill.id)
                local rec = { skill = skill.id, kind = "scaffold", from = level }

                if missing >= p.missing_work then
                    step_back(rec, level, string.format("%s for %s (%s)",
                        fmt.count(missing, "missing work item"), skill.id, fmt.list(missing_ids)))
                    rec.evidence = { level = level, missing_work = missing_ids, needed = p.missing_work }

                elseif trellis.consecutive(run, p.advance_sessions, succeeded) then
                    local shown = trellis.sessions.newest(run, p.advance_sessions)
                    local last = trellis.ladder.is_last(ladder, level)
                    rec.action = last and "mastered" or "advance"
                    rec.to = trellis.ladder.next(ladder, level)
                    rec.reason = string.format("%s in a row at %s%s with at least %s%% correct (%s)",
                        fmt.count(p.advance_sessions, "session"), level,
                        last and ", the last stage," or "",
                        fmt.number(p.advance_percent), fmt.percents(shown))
                    rec.evidence = { level = level, sessions = trellis.sessions.evidence(shown) }

                elseif trellis.consecutive(run, p.step_back_sessions, struggled) then
                    local shown = trellis.sessions.newest(run, p.step_back_sessions)
                    step_back(rec, level, string.format("%s in a row at %s below %s%% correct (%s)",
                        fmt.count(p.step_back_sessions, "session"), level,
                        fmt.number(p.step_back_percent), fmt.percents(shown)))
                    rec.evidence = { level = level, sessions = trellis.sessions.evidence(shown) }

                else
                    local shown = trellis.sessions.newest(run, p.advance_sessions)
                    rec.action = "hold"
                    if #run < p.advance_sessions then
                        rec.reason = string.format("%d of %s at %s so far",
                            #run, fmt.count(p.advance_sessions, "session"), level)
                    else
                        rec.reason = string.format(
                            "newest %s at %s: %s; advancing needs each at least %s%% correct with %s",
                            fmt.count(p.advance_sessions, "session"), level,
                            fmt.percents(shown, p.min_trials), fmt.number(p.advance_percent),
                            fmt.count(p.min_trials, "trial"))
                    end
                    rec.evidence = {
                        level = level,
                        sessions = trellis.sessions.evidence(shown),
                        needed = p.advance_sessions,
                    }
                end
                -- Shown, not decided on: the Bayesian Knowledge Tracing estimate over every session.
                rec.evidence.mastery_probability = trellis.round(trellis.mastery_probability(skill.sessions), 2)
                out[#out + 1] = rec
            end
        end
        return out
    end,
}
