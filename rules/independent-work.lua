-- Independent work: for each student, the skills they can practise alone today. A class-level rule:
-- it runs once, after every student, and reads each student's data and results.
--
-- A skill can be practised alone when its current prompt level is the last level of the prompt
-- ladder or its current stage is the last stage (a mastered skill is at one of them by definition),
-- and no result for the skill steps back (a step back from the last level, or a stage step back for
-- missing work, means the student needs staff for it again). One recommendation per student, in
-- input order, with the student's id in `student` and the skills in `skills` (record order, at most
-- max_skills; the rest are named in the reason and in evidence). Nothing for a student without
-- such a skill. Each recommendation goes out with ctx.emit as soon as it is made, so that a
-- district roster's list is never held whole.
--
-- Defaults and where they come from:
--   max_skills = 3: an independent work system tells the student how much work there is, and its
--       tasks are skills already acquired, practised for fluency without prompting (the TEACCH work
--       system: Hume, K., & Odom, S. (2007). Effects of an individual work system on the
--       independent functioning of students with autism. Journal of Autism and Developmental
--       Disorders, 37(6), 1166-1180). Three keeps the day's list as short as the bundled choice
--       menus (3 options, data contract section 3).

local fmt = trellis.format

-- "hand-washing (prompt level independent, mastered)".
local function describe(entry)
    local parts = {}
    if entry.prompt_level then
        parts[#parts + 1] = "prompt level " .. entry.prompt_level
    end
    if entry.stage then
        parts[#parts + 1] = "stage " .. entry.stage
    end
    if entry.mastered then
        parts[#parts + 1] = "mastered"
    end
    return string.format("%s (%s)", entry.skill, table.concat(parts, ", "))
end

local function skill_ids(entries)
    local out = {}
    for i, entry in ipairs(entries) do
        out[i] = entry.skill
    end
    return out
end

local function descriptions(entries)
    local out = {}
    for i, entry in ipairs(entries) do
        out[i] = describe(entry)
    end
    return out
end

return {
    id = "independent-work",
    api = 1,
    description = "List the skills each student can practise alone today: at the last level, not stepping back",
    priority = 50,
    params = {
        max_skills = {
            default = 3, type = "integer", min = 1, max = 50,
            description = "Skills listed for one student's independent work today, at most",
        },
    },

    evaluate_class = function(class, ctx)
        local p, ladders = ctx.params, ctx.ladders
        for _, student in ipairs(class.students) do
            -- The student's results, read once (by skill) when the first skill needs them.
            local ready, stepping_back, seen, results = {}, {}, {}, nil
            for _, skill in ipairs(student.skills) do
                if not seen[skill.id] then
                    seen[skill.id] = true
                    local prompt = trellis.sessions.current_level(skill, "prompt_level")
                    local stage = trellis.sessions.current_level(skill, "stage")
                    local last_prompt = trellis.ladder.is_last(ladders.prompt, prompt)
                    local last_stage = trellis.ladder.is_last(ladders.stage, stage)
                    if last_prompt or last_stage then
                        results = results or trellis.class.results_by_skill(class, student.id)
                        local back = trellis.class.first(results[skill.id], "step_back")
                        if back then
                            stepping_back[#stepping_back + 1] = { skill = skill.id, result = back }
                        else
                            ready[#ready + 1] = {
                                skill = skill.id,
                                prompt_level = last_prompt and prompt or nil,
                                stage = last_stage and stage or nil,
                                mastered = trellis.class.first(results[skill.id], "mastered") ~= nil,
                            }
                        end
                    end
                end
            end

            if #ready > 0 then
                local listed, more = {}, {}
                for i, entry in ipairs(ready) do
                    local group = i <= p.max_skills and listed or more
                    group[#group + 1] = entry
                end
                local reason = string.format("%s can practise %s alone today: at the last prompt level or stage, "
                    .. "not stepping back", fmt.student(student), fmt.list(descriptions(listed)))
                if #more > 0 then
                    reason = reason .. string.format("; %s more for another day (at most %d a day): %s",
                        fmt.number(#more), p.max_skills, fmt.list(skill_ids(more)))
                end
                local back_texts = {}
                for _, entry in ipairs(stepping_back) do
                    local r = entry.result
                    back_texts[#back_texts + 1] = entry.skill
                        .. ((r.from and r.to) and string.format(" (%s to %s)", r.from, r.to) or "")
                end
                if #back_texts > 0 then
                    reason = reason .. string.format("; not %s: stepping back, practise with staff",
                        fmt.list(back_texts))
                end
                ctx.emit({
                    kind = "independent_work",
                    action = "practice_alone",
                    student = student.id,
                    skills = skill_ids(listed),
                    reason = reason,
                    evidence = {
                        skills = listed,
                        more = #more > 0 and skill_ids(more) or nil,
                        stepping_back = #stepping_back > 0 and skill_ids(stepping_back) or nil,
                        max_skills = p.max_skills,
                    },
                })
            end
        end
    end,
}
