-- Prompt fading: move a skill one prompt level toward independence when the student succeeds at
-- the current level, one level back toward more support when they struggle, and hold otherwise.
-- Only the run of sessions since the most recent change of level counts.
-- Each recommendation's evidence also shows `mastery_probability`, the Bayesian Knowledge Tracing
-- estimate over all of the skill's sessions (trellis.mastery_probability, default parameters),
-- rounded to 2 decimals: for the team to read beside the decision, which does not use it.

local FIELD = "prompt_level"
local WORDS = trellis.constant({ advance = "fade", advancing = "fading", level = "level" })

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
        local p = ctx.params
        local criteria = {
            advance_sessions = p.fade_sessions, advance_percent = p.fade_percent,
            step_back_sessions = p.step_back_sessions, step_back_percent = p.step_back_percent,
            min_trials = p.min_trials,
        }
        local out = {}
        for _, skill in ipairs(student.skills) do
            -- Fade (or mastered at the last level), step back, or hold: trellis.ladder.step.
            local step = trellis.ladder.step(skill, FIELD, ctx.ladders.prompt, criteria, WORDS)
            if step == nil then
                out[#out + 1] = { skill = skill.id, note = "no prompt level recorded for " .. skill.id }
            else
                -- Shown, not decided on: the Bayesian Knowledge Tracing estimate over every session.
                step.evidence.mastery_probability = trellis.round(trellis.mastery_probability(skill.sessions), 2)
                out[#out + 1] = {
                    skill = skill.id, kind = "prompt", from = step.from, action = step.action, to = step.to,
                    reason = step.reason, evidence = step.evidence,
                }
            end
        end
        return out
    end,
}
