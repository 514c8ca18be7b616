-- Weekly focus: the one skill the whole staff works on this week, the skill on which the most
-- students still need prompts. A class-level rule: it runs once, after every student.
--
-- A student still needs prompts on a skill when the skill's current prompt level is not the last
-- level of the prompt ladder (the document's ladder, or the configuration's). The count is over the
-- students who have the skill with a prompt level; skills without one are taught without prompts
-- and are left out. The skill with the most such students wins; on a tie, the skill id that sorts
-- first. The recommendation carries a short `message` the staff can send as it is.
--
-- Its evidence names the students who still need prompts on the focus skill, and those of them the
-- data says can fade, at most LISTED of each (in class order; `..._not_listed` counts the rest):
-- the rule keeps counts per skill, not a list of every student, so a district roster is tallied
-- in memory that does not grow with it.
--
-- Defaults and where they come from:
--   min_students = 2: a weekly focus is for a need students share. Two is the smallest number that
--       shares one; a need of one student belongs in that student's own plan, which prompt-fading
--       already decides skill by skill, not in the whole staff's week.

local fmt = trellis.format
local FIELD = "prompt_level"
-- Students named in each list of the evidence, at most: a whole class (classes are rarely larger),
-- while a school's or a district's run keeps a list a person can read.
local LISTED = 30

-- The skills on which the student's results say a prompt can fade now.
local function fading_skills(class, student_id)
    local skills = {}
    for _, result in ipairs(class.results[student_id] or {}) do
        if result.action == "fade" and result.kind == "prompt" and result.skill ~= nil then
            skills[result.skill] = true
        end
    end
    return skills
end

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

    evaluate_class = function(class, ctx)
        local p, ladder = ctx.params, ctx.ladders.prompt
        -- skill id -> { with = n, need = n, fade = n, and the first LISTED of each list }
        local tally = {}
        for _, student in ipairs(class.students) do
            local counted, fading = {}, nil
            for _, skill in ipairs(student.skills) do
                local level = trellis.sessions.current_level(skill, FIELD)
                if level ~= nil and not counted[skill.id] then
                    counted[skill.id] = true
                    local t = tally[skill.id]
                    if t == nil then
                        t = { with = 0, need = 0, fade = 0, need_ids = {}, levels = {}, fade_ids = {} }
                        tally[skill.id] = t
                    end
                    t.with = t.with + 1
                    if not trellis.ladder.is_last(ladder, level) then
                        t.need = t.need + 1
                        if t.need <= LISTED then
                            t.need_ids[t.need], t.levels[t.need] = student.id, level
                        end
                        fading = fading or fading_skills(class, student.id)
                        if fading[skill.id] then
                            t.fade = t.fade + 1
                            if t.fade <= LISTED then
                                t.fade_ids[t.fade] = student.id
                            end
                        end
                    end
                end
            end
        end

        -- Skills by students who still need prompts, most first; ties by skill id.
        local ranked = {}
        for id, t in pairs(tally) do
            if t.need > 0 then
                ranked[#ranked + 1] = { id = id, t = t }
            end
        end
        if #ranked == 0 then
            return nil
        end
        table.sort(ranked, function(a, b)
            if a.t.need ~= b.t.need then
                return a.t.need > b.t.need
            end
            return a.id < b.id
        end)
        local best, runner_up = ranked[1], ranked[2]
        local count, with, fading = best.t.need, best.t.with, best.t.fade
        if count < p.min_students then
            return { {
                skill = best.id,
                note = string.format("no weekly focus: the most students who still need prompts on one skill is %d "
                    .. "(%s), fewer than %d", count, best.id, p.min_students),
            } }
        end

        local compared
        if runner_up == nil then
            compared = "no other skill has students who still need prompts"
        elseif runner_up.t.need == count then
            compared = string.format("as many as on %s (%s comes first by name)", runner_up.id, best.id)
        else
            compared = string.format("the most of any skill (next: %s, %d)", runner_up.id, runner_up.t.need)
        end
        local fade_text = fading > 0
            and string.format("the data says %d of them can fade one level now", fading)
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
                need_prompts = best.t.need_ids,
                levels = best.t.levels,
                need_prompts_not_listed = count > LISTED and count - LISTED or nil,
                students_with_prompt_level = with,
                can_fade = fading > 0 and best.t.fade_ids or nil,
                can_fade_not_listed = fading > LISTED and fading - LISTED or nil,
                runner_up = runner_up and { skill = runner_up.id, need_prompts = runner_up.t.need } or nil,
                min_students = p.min_students,
            },
        } }
    end,
}
