-- Weekly focus: the one skill the whole staff works on this week, the skill on which the most
-- students still need prompts. A class-level rule: it runs once, after every student.
--
-- A student still needs prompts on a skill when the skill's current prompt level is not the last
-- level of the prompt ladder (the document's ladder, or the configuration's). The count is over the
-- students who have the skill with a prompt level; skills without one are taught without prompts
-- and are left out. The skill with the most such students wins; on a tie, the skill id that sorts
-- first. The recommendation carries a short `message` the staff can send as it is.
--
-- Defaults and where they come from:
--   min_students = 2: a weekly focus is for a need students share. Two is the smallest number that
--       shares one; a need of one student belongs in that student's own plan, which prompt-fading
--       already decides skill by skill, not in the whole staff's week.

local fmt = trellis.format
local FIELD = "prompt_level"

-- "1 student still needs", "3 of 4 students still need".
local function need_text(count, with)
    return string.format("%d of %s still %s prompts", count, fmt.count(with, "student"),
        count == 1 and "needs" or "need")
end

return {
    id = "weekly-focus",
    api = 1,
    description = "Name the staff's focus skill for the week: the skill on which the most students still need prompts",
    priority = 50,
    params = {
        min_students = {
            default = 2, type = "integer", min = 1, max = 1000,
            description = "Students who still need prompts on a skill, at least, for it to be the weekly focus",
        },
    },

    -- The weekly focus is a class-level decision: nothing per student.
    evaluate = function()
        return nil
    end,

    evaluate_class = function(class, ctx)
        local p, ladder = ctx.params, ctx.ladders.prompt
        local tally = {} -- skill id -> { with = n, need = { student ids }, levels = { level per student } }
        for _, student in ipairs(class.students) do
            local counted = {}
            for _, skill in ipairs(student.skills) do
                local level = trellis.sessions.current_level(skill, FIELD)
                if level ~= nil and not counted[skill.id] then
                    counted[skill.id] = true
                    local t = tally[skill.id] or { with = 0, need = {}, levels = {} }
                    tally[skill.id] = t
                    t.with = t.with + 1
                    if not trellis.ladder.is_last(ladder, level) then
                        t.need[#t.need + 1] = student.id
                        t.levels[#t.levels + 1] = level
                    end
                end
            end
        end

        -- Skills by students who still need prompts, most first; ties by skill id.
        local ranked = {}
        for id, t in pairs(tally) do
            if #t.need > 0 then
                ranked[#ranked + 1] = { id = id, t = t }
            end
        end
        if #ranked == 0 then
            return nil
        end
        table.sort(ranked, function(a, b)
            if #a.t.need ~= #b.t.need then
                return #a.t.need > #b.t.need
            end
            return a.id < b.id
        end)
        local best, runner_up = ranked[1], ranked[2]
        local count, with = #best.t.need, best.t.with
        if count < p.min_students then
            return { {
                skill = best.id,
                note = string.format("no weekly focus: the most students who still need prompts on one skill is %d "
                    .. "(%s), fewer than %d", count, best.id, p.min_students),
            } }
        end

        -- Which of them the data says can fade now.
        local fading = {}
        for _, id in ipairs(best.t.need) do
            for _, result in ipairs(trellis.class.results(class, id, best.id, "fade")) do
                if result.kind == "prompt" then
                    fading[#fading + 1] = id
                    break
                end
            end
        end

        local compared
        if runner_up == nil then
            compared = "no other skill has students who still need prompts"
        elseif #runner_up.t.need == count then
            compared = string.format("as many as on %s (%s comes first by name)", runner_up.id, best.id)
        else
            compared = string.format("the most of any skill (next: %s, %d)", runner_up.id, #runner_up.t.need)
        end
        local fade_text = #fading > 0
            and string.format("the data says %d of them can fade one level now", #fading)
            or "none of them can fade yet"

        return { {
            skill = best.id,
            kind = "focus",
            action = "focus_skill",
            reason = string.format("%s: %s, %s; %s", best.id, need_text(count, with), compared, fade_text),
            message = string.format("This week we focus on %s: %s. Fade one level where the data says so.",
                best.id, need_text(count, with)),
            evidence = {
                skill = best.id,
                need_prompts = best.t.need,
                levels = best.t.levels,
                students_with_prompt_level = with,
                can_fade = #fading > 0 and fading or nil,
                runner_up = runner_up and { skill = runner_up.id, need_prompts = #runner_up.t.need } or nil,
                min_students = p.min_students,
            },
        } }
    end,
}
