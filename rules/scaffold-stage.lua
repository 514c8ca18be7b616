-- Scaffold stage: advance a skill one stage of the gradual release of responsibility when the
-- student succeeds at the current stage, step back one stage when they struggle or have missing
-- work for the skill (missing work comes first, even before advancing), and hold otherwise.
-- Only the run of sessions since the most recent change of stage counts.
-- Each recommendation's evidence also shows `mastery_probability`, the Bayesian Knowledge Tracing
-- estimate over all of the skill's sessions (trellis.mastery_probability, default parameters),
-- rounded to 2 decimals: for the team to read beside the decision, which does not use it.

local FIELD = "stage"
local WORDS = trellis.constant({ advance = "advance", advancing = "advancing", level = "stage" })

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
        local criteria = {
            advance_sessions = p.advance_sessions, advance_percent = p.advance_percent,
            step_back_sessions = p.step_back_sessions, step_back_percent = p.step_back_percent,
            min_trials = p.min_trials,
        }
        local out = {}
        for _, skill in ipairs(student.skills) do
            local level = trellis.sessions.current_level(skill, FIELD)
            if level == nil then
                out[#out + 1] = { skill = skill.id, note = "no stage recorded for " .. skill.id }
            else
                local missing, missing_ids = trellis.work.missing(student, skill.id)
                local rec = { skill = skill.id, kind = "scaffold", from = level }
                if missing >= p.missing_work then
                    -- Missing work comes first, even before advancing.
                    rec.action, rec.to, rec.reason = trellis.ladder.step_back(ladder, level,
                        string.format("%s for %s (%s)",
                            fmt.count(missing, "missing work item"), skill.id, fmt.list(missing_ids)),
                        WORDS.level)
                    rec.evidence = { level = level, missing_work = missing_ids, needed = p.missing_work }
                else
                    -- Advance (or mastered at the last stage), step back, or hold: trellis.ladder.step.
                    local step = trellis.ladder.step(skill, FIELD, ladder, criteria, WORDS)
                    rec.action, rec.to, rec.reason, rec.evidence = step.action, step.to, step.reason, step.evidence
                end
                -- Shown, not decided on: the Bayesian Knowledge Tracing estimate over every session.
                rec.evidence.mastery_probability = trellis.round(trellis.mastery_probability(skill.sessions), 2)
                out[#out + 1] = rec
            end
        end
        return out
    end,
}
