-- Mastery badges: bronze, silver and gold for a skill, from the student's accuracy over the
-- newest sessions. A badge is awarded only when it is above the one the student already holds
-- for the skill (`skills[].badge`), so a badge is never taken away; a student flagged
-- `no_badges` (the student or family opted out) gets none. Badges are about one student's own
-- progress on one skill: nothing here ranks or compares students, and there is no leaderboard.
--
-- For each skill with at least `min_sessions` sessions: accuracy = correct / trials summed over
-- its newest `newest_sessions` sessions, whatever their level. Gold: at least `gold_percent` and
-- the skill's current level is the last level of its ladder (the prompt ladder; the stage ladder
-- for a skill without a prompt level). Silver: at least `silver_percent`. Bronze: at least
-- `bronze_percent`. The recommendation is kind `badge`, action `award`, `to` the badge and `from`
-- the badge held, if any.
--
-- Defaults and where they come from (data contract, section 5):
--   min_sessions = 3: the shortest run the bundled criteria decide on (section 3): a badge is not
--       earned in one or two good sessions.
--   newest_sessions = 5: about a school week of daily sessions; older sessions say less about the
--       skill today.
--   bronze_percent = 70, silver_percent = 80, gold_percent = 90: silver at the contract's mastery
--       percent (80%, section 3), bronze one step below it, gold one step above it and only at
--       the last level, where mastery is decided.

local fmt = trellis.format

local RANK = trellis.constant({ bronze = 1, silver = 2, gold = 3 })

return {
    id = "badge",
    api = 1,
    description = "Award a bronze, silver or gold badge for a skill when the student earns one above the badge held",
    priority = 50,
    params = {
        min_sessions = {
            default = 3, type = "integer", min = 1, max = 100,
            description = "Sessions a skill needs, at least, before it can earn a badge",
        },
        newest_sessions = {
            default = 5, type = "integer", min = 1, max = 100,
            description = "Newest sessions whose trials the accuracy counts, whatever their level",
        },
        gold_percent = {
            default = 90, type = "number", min = 0, max = 100,
            description = "Accuracy for gold, at least, at the last level of the skill's ladder",
        },
        silver_percent = {
            default = 80, type = "number", min = 0, max = 100,
            description = "Accuracy for silver, at least",
        },
        bronze_percent = {
            default = 70, type = "number", min = 0, max = 100,
            description = "Accuracy for bronze, at least",
        },
    },

    evaluate = function(student, ctx)
        if trellis.has_flag(student, "no_badges") then
            return nil
        end
        local p, ladders = ctx.params, ctx.ladders
        local out = {}
        for _, skill in ipairs(student.skills) do
            local sessions = skill.sessions
            if #sessions >= p.min_sessions then
                local shown = trellis.sessions.newest(sessions, p.newest_sessions)
                local trials, correct = 0, 0
                for _, s in ipairs(shown) do
                    trials = trials + (s.trials or 0)
                    correct = correct + (s.correct or 0)
                end
                -- The ladder of gold: the prompt ladder, or the stage ladder without a prompt level.
                local ladder_name, level = "prompt level", trellis.sessions.current_level(skill, "prompt_level")
                local at_last = trellis.ladder.is_last(ladders.prompt, level)
                if level == nil then
                    ladder_name, level = "stage", trellis.sessions.current_level(skill, "stage")
                    at_last = trellis.ladder.is_last(ladders.stage, level)
                end
                -- correct / trials >= percent%, in whole numbers: no rounding at the edge.
                local function reaches(percent)
                    return correct * 100 >= percent * trials
                end
                if trials == 0 then
                    out[#out + 1] = {
                        skill = skill.id,
                        note = string.format("the newest %s of %s have no trials: no badge can be judged",
                            fmt.count(#shown, "session"), skill.id),
                    }
                else
                    local earned
                    if reaches(p.gold_percent) and at_last then
                        earned = "gold"
                    elseif reaches(p.silver_percent) then
                        earned = "silver"
                    elseif reaches(p.bronze_percent) then
                        earned = "bronze"
                    end
                    local held = skill.badge
                    if earned and RANK[earned] > (held and RANK[held] or 0) then
                        local percent = correct * 100 // trials
                        local reason = string.format(
                            "%s badge for %s: %d%% correct over the newest %s (%d of %d trials)",
                            string.upper(string.sub(earned, 1, 1)) .. string.sub(earned, 2), skill.id, percent,
                            fmt.count(#shown, "session"), correct, trials)
                        if earned == "gold" then
                            reason = reason .. string.format(" at %s, the last %s", level, ladder_name)
                        elseif reaches(p.gold_percent) then
                            reason = reason .. (level
                                and string.format("; gold needs the last %s, now %s", ladder_name, level)
                                or "; gold needs the last prompt level or stage, and neither is recorded")
                        end
                        if held then
                            reason = reason .. string.format(" (holds %s)", held)
                        end
                        out[#out + 1] = {
                            skill = skill.id,
                            kind = "badge",
                            action = "award",
                            from = held,
                            to = earned,
                            reason = reason,
                            evidence = {
                                percent = percent,
                                correct = correct,
                                trials = trials,
                                sessions = trellis.sessions.evidence(shown),
                                level = level,
                                last_level = at_last,
                                held = held,
                            },
                        }
                    end
                end
            end
        end
        return out
    end,
}
