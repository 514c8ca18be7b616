-- Adult support planning: for each student, how independent they are across their skills, and so
-- how much adult support to plan for them (when a school allocates educational assistants). A
-- class-level rule: it runs once, after every student, and reads each student's current levels.
--
-- Independence index: the mean, over the student's skills that have a current prompt level or
-- stage, of position / (ladder length - 1), where position is the 0-based place of the skill's
-- current prompt level on the prompt ladder (else of its current stage on the stage ladder). 0 is
-- full support on every skill, 1 independent on every one. The level of support to plan is
-- `high` when the index is below high_below / 100, `moderate` when below moderate_below / 100,
-- else `low`, decided on `index` as the output gives it: rounded to 2 decimals (so 2/3 is 0.67,
-- low; 1/3 is 0.33, high). The two thresholds cut the hundredths into thirds: 0.00-0.33 high,
-- 0.34-0.66 moderate, 0.67-1.00 low. One recommendation per student, in
-- input order, with `student`, `index` and `level` (no `skill`), emitted as it is made; a note for
-- a student with no skill at any level. Each student is judged on their own record: nothing is
-- ranked or compared.
--
-- Defaults and where they come from (data contract, section 5):
--   high_below = 34, moderate_below = 67: the index, in hundredths, in thirds (0.00-0.33,
--       0.34-0.66, 0.67-1.00), as section 5 writes them.

local fmt = trellis.format

local LADDERS = trellis.constant({
    { field = "prompt_level", ladder = "prompt", word = "prompt level" },
    { field = "stage", ladder = "stage", word = "stage" },
})

-- The skill's place for the index: its current prompt level on the prompt ladder, else its
-- current stage on the stage ladder. Nil for a skill at neither.
local function place(skill, ladders)
    for _, spec in ipairs(LADDERS) do
        local level = trellis.sessions.current_level(skill, spec.field)
        if level ~= nil then
            local ladder = ladders[spec.ladder]
            local index = trellis.ladder.index(ladder, level)
            if index ~= nil then
                return {
                    skill = skill.id, ladder = spec.ladder, word = spec.word, level = level,
                    position = index - 1, steps = #ladder - 1,
                }
            end
        end
    end
    return nil
end

return {
    id = "support",
    api = 1,
    description = "Plan each student's adult support from how independent they are across their skills",
    priority = 50,
    params = {
        high_below = {
            default = 34, type = "number", min = 0, max = 100,
            description = "Independence index (in hundredths) below which a student needs high adult support",
        },
        moderate_below = {
            default = 67, type = "number", min = 0, max = 100,
            description = "Independence index (in hundredths) below which a student needs moderate support (else low)",
        },
    },

    evaluate_class = function(class, ctx)
        local p, ladders = ctx.params, ctx.ladders
        for _, student in ipairs(class.students) do
            local places, sum = {}, 0
            for _, skill in ipairs(student.skills) do
                local found = place(skill, ladders)
                if found then
                    places[#places + 1] = found
                    sum = sum + found.position / found.steps
                end
            end
            if #places == 0 then
                ctx.emit({
                    note = string.format(
                        "%s has no skill with a prompt level or stage: no support level can be planned",
                        fmt.student(student)),
                })
            else
                local exact = sum / #places
                local index = trellis.round(exact, 2)
                local level = index < p.high_below / 100 and "high" or index < p.moderate_below / 100 and "moderate"
                    or "low"
                local parts, skills = {}, {}
                for i, found in ipairs(places) do
                    parts[i] = string.format("%s %s %s, %d of %d steps", found.skill, found.word, found.level,
                        found.position, found.steps)
                    skills[i] = { skill = found.skill, ladder = found.ladder, level = found.level,
                        position = found.position, steps = found.steps }
                end
                ctx.emit({
                    kind = "support",
                    action = "plan",
                    student = student.id,
                    index = index,
                    level = level,
                    reason = string.format("%s: %s adult support; independence %s over %s (%s)",
                        fmt.student(student), level, string.format("%.2f", index), fmt.count(#places, "skill"),
                        table.concat(parts, "; ")),
                    evidence = {
                        skills = skills,
                        exact_index = exact,
                        high_below = p.high_below,
                        moderate_below = p.moderate_below,
                    },
                })
            end
        end
    end,
}
