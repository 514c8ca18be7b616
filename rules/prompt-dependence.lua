-- Prompt dependence: a skill that has stayed at the same prompt level for many sessions in a row,
-- short of the last (independent) level, may be becoming dependent on that prompt. The rule asks the
-- team to review the fading plan; it does not change the level (prompt-fading decides that).
--
-- Reads the skill's prompt level and its sessions' `prompt_level` (contract fields). Skills with no
-- prompt level are not taught with prompts and get nothing from this rule.
--
-- Defaults and where they come from:
--   sessions = 5   about one school week of daily sessions: the first sign of prompt dependency in
--                  Autism Classroom Resources' "3 signs of prompt dependency" is data that shows the
--                  same level of prompting session after session over a week or two; 5 is also two
--                  sessions more than the shortest run that can fade under the bundled criterion
--                  (3 sessions, data contract, section 3).

local FIELD = "prompt_level"
local fmt = trellis.format

return {
    id = "prompt-dependence",
    api = 1,
    description = "Ask for a review of the fading plan when a skill stays at one prompt level for many sessions",
    priority = 50,
    params = {
        sessions = {
            default = 5, type = "integer", min = 2, max = 100,
            description = "Sessions in a row at one prompt level, not the last, that call for a review of the plan",
        },
    },

    evaluate = function(student, ctx)
        local p, ladder = ctx.params, ctx.ladders.prompt
        local out = {}
        for _, skill in ipairs(student.skills) do
            local level = trellis.sessions.current_level(skill, FIELD)
            if level ~= nil and not trellis.ladder.is_last(ladder, level) then
                local run = trellis.sessions.at_level(skill, FIELD, level)
                if #run >= p.sessions then
                    local shown = trellis.sessions.newest(run, p.sessions)
                    local since = run[1].date and (" since " .. string.sub(run[1].date, 1, 10)) or ""
                    out[#out + 1] = {
                        skill = skill.id,
                        kind = "review",
                        action = "review_fading_plan",
                        reason = string.format(
                            "%s in a row at %s%s without fading to %s (newest %d: %s): review the fading plan",
                            fmt.count(#run, "session"), level, since, trellis.ladder.next(ladder, level),
                            #shown, fmt.percents(shown)),
                        evidence = {
                            level = level,
                            run = #run,
                            needed = p.sessions,
                            sessions = trellis.sessions.evidence(shown),
                        },
                    }
                end
            end
        end
        return out
    end,
}
