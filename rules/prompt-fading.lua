-- Prompt fading: move a skill one prompt level toward independence when the student succeeds at
-- the current level, one level back toward more support when they struggle, and hold otherwise.
-- Only the run of sessions since the most recent change of level counts.
-- Each recommendation's evidence also shows `mastery_probability`, the Bayesian Knowledge Tracing
-- estimate over all of the skill's sessions (trellis.mastery_probability, default parameters),
-- rounded to 2 decimals: for the team to read beside the decision, which does not use it.

local FIELD = "prompt_level"

return {
    id = "prompt-fading",
    api = 1,
    description = "Fade, step back or hold each skill's prompt level from the sessions at that level",
    priority = 50,
    params = {
        fade_sessions = {
            default = 3, type = "integer", min = 1, max = 20,
            description = "Sessions in a row at the current level needed to fade (or to call it mastered)",
        },
        fade_percent = {
            default = 80, type = "number", min = 0, max = 100,
            description = "Percent correct each of those sessions needs, at least",
        },
        step_back_sessions = {
            default = 2, type = "integer", min = 1, max = 20,
            description = "Sessions in a row at the current level below step_back_percent to step back",
        },
        step_back_percent = {
            default = 50, type = "number", min = 0, max = 100,
            description = "A session below this percent correct counts toward stepping back",
        },
        min_trials = {
            default = 5, type = "integer", min = 0, max = 1000,
            description = "Trials a session needs to count toward fading or stepping back",
        },
    },

    evaluate = function(student, ctx)
        local p, ladder = ctx.params, ctx.ladders.prompt
        local fmt = trellis.format
        local function succeeded(s)
            return trellis.meets(s, p.fade_percent, p.min_trials)
        end
        local function struggled(s)
            return trellis.below(s, p.step_back_percent, p.min_trials)
        end

        local out = {}
        for _, skill in ipairs(student.skills) do
            local level = trellis.sessions.current_level(skill, FIELD)
            if level == nil then
                out[#out + 1] = { skill = skill.id, note = "no prompt level recorded for " .. skill.id }
            else
                local run = trellis.sessions.at_level(skill, FIELD, level)
                local rec = { skill = skill.id, kind = "prompt", from = level }

                if trellis.consecutive(run, p.fade_sessions, succeeded) then
                    local shown = trellis.sessions.newest(run, p.fade_sessions)
                    local last = trellis.ladder.is_last(ladder, level)
                    rec.action = last and "mastered" or "fade"
                    rec.to = trellis.ladder.next(ladder, level)
                    rec.reason = string.format("%s in a row at %s%s with at least %s%% correct (%s)",
                        fmt.count(p.fade_sessions, "session"), level,
                        last and ", the last level," or "",
                        fmt.number(p.fade_percent), fmt.percents(shown))
                    rec.evidence = { level = level, sessions = trellis.sessions.evidence(shown) }

                elseif trellis.consecutive(run, p.step_back_sessions, struggled) then
                    local shown = trellis.sessions.newest(run, p.step_back_sessions)
                    local previous = trellis.ladder.previous(ladder, level)
                    local why = string.format("%s in a row at %s below %s%% correct (%s)",
                        fmt.count(p.step_back_sessions, "session"), level,
                        fmt.number(p.step_back_percent), fmt.percents(shown))
                    rec.action = previous and "step_back" or "hold"
                    rec.to = previous
                    rec.reason = previous and why
                        or why .. ", but " .. level .. " is the first level: nothing to step back to"
                    rec.evidence = { level = level, sessions = trellis.sessions.evidence(shown) }

                else
                    local shown = trellis.sessions.newest(run, p.fade_sessions)
                    rec.action = "hold"
                    if #run < p.fade_sessions then
                        rec.reason = string.format("%d of %s at %s so far",
                            #run, fmt.count(p.fade_sessions, "session"), level)
                    else
                        rec.reason = string.format(
                            "newest %s at %s: %s; fading needs each at least %s%% correct with %s",
                            fmt.count(p.fade_sessions, "session"), level,
                            fmt.percents(shown, p.min_trials), fmt.number(p.fade_percent),
                            fmt.count(p.min_trials, "trial"))
                    end
                    rec.evidence = {
                        level = level,
                        sessions = trellis.sessions.evidence(shown),
                        needed = p.fade_sessions,
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
