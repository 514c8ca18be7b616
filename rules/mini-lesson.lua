-- Flipped mini-lessons: when a skill steps back (the winning `prompt` or `scaffold` decision for it
-- is `step_back`), assign the student a short recorded lesson on it to watch before the next
-- session. The lesson is one catalog item of kind `mini_lesson` for the skill whose `minutes` are
-- from `min_minutes` to `max_minutes`: one in a modality the student prefers first, then the
-- shortest, then the first id. With no such lesson in the catalog the rule says so in a note.
--
-- The rule reads the student's winning recommendations (`reads_results`): it runs after the
-- other rules, so a step back another rule overrides does not assign a lesson, and a school's
-- own step-back rule does.
--
-- Reads the catalog's `mini_lesson` items (`minutes`, `skills`, `modality`, data contract section
-- 5) and `preferences.modalities`.
--
-- Defaults and where they come from (data contract, section 5):
--   min_minutes = 5, max_minutes = 10: a flipped mini-lesson is 5 to 10 minutes; engagement
--       with instructional videos falls off after 6 to 9 minutes (Guo, Kim & Rubin, 2014, How
--       video production affects student engagement, Proceedings of the first ACM conference on
--       Learning @ Scale, 41-50).

local fmt = trellis.format

local STEP_BACK_KINDS = trellis.constant({ prompt = "prompt level", scaffold = "stage" })

-- "7-minute" or "7.5-minute".
local function minutes_text(minutes)
    return fmt.number(minutes) .. "-minute"
end

-- Why the catalog's mini-lessons for the skill do not fit: "frac-long (15 minutes), frac-x (no minutes)".
local function misfits(lessons)
    local parts = {}
    for i, item in ipairs(lessons) do
        parts[i] = string.format("%s (%s)", item.id,
            type(item.minutes) == "number" and fmt.count(item.minutes, "minute") or "no minutes")
    end
    return fmt.list(parts)
end

return {
    id = "mini-lesson",
    api = 1,
    description = "Assign a 5 to 10 minute recorded mini-lesson for each skill that steps back",
    priority = 50,
    reads_results = true,
    params = {
        min_minutes = {
            default = 5, type = "number", min = 0, max = 600,
            description = "Minutes a mini-lesson lasts, at least",
        },
        max_minutes = {
            default = 10, type = "number", min = 0, max = 600,
            description = "Minutes a mini-lesson lasts, at most",
        },
    },

    evaluate = function(student, ctx, results)
        local p = ctx.params
        -- Skills stepping back, in output order, each with its step backs.
        local skills, backs = {}, {}
        for _, result in ipairs(results) do
            if result.action == "step_back" and STEP_BACK_KINDS[result.kind] and result.skill ~= nil then
                if backs[result.skill] == nil then
                    backs[result.skill] = {}
                    skills[#skills + 1] = result.skill
                end
                table.insert(backs[result.skill], result)
            end
        end
        local preferred = {}
        for _, modality in ipairs(student.preferences.modalities) do
            preferred[modality] = true
        end

        local out = {}
        for _, skill_id in ipairs(skills) do
            local fitting, others = {}, {}
            for _, item in ipairs(trellis.catalog.for_skill(ctx.catalog, skill_id)) do
                if item.kind == "mini_lesson" then
                    local minutes = item.minutes
                    local fits = type(minutes) == "number" and minutes >= p.min_minutes and minutes <= p.max_minutes
                    table.insert(fits and fitting or others, item)
                end
            end
            local steps, evidence_steps = {}, {}
            for i, back in ipairs(backs[skill_id]) do
                steps[i] = string.format("%s %s to %s", STEP_BACK_KINDS[back.kind], back.from or "?", back.to or "?")
                evidence_steps[i] = { kind = back.kind, from = back.from, to = back.to, rule = back.rule }
            end
            local window = string.format("%s to %s minutes", fmt.number(p.min_minutes), fmt.number(p.max_minutes))
            if #fitting == 0 then
                out[#out + 1] = {
                    skill = skill_id,
                    note = string.format("%s steps back (%s), but the catalog has no mini-lesson of %s for it%s",
                        skill_id, fmt.list(steps), window,
                        #others > 0 and (": " .. misfits(others)) or ""),
                }
            else
                -- A preferred modality first, then the fewest minutes, then the id.
                table.sort(fitting, function(a, b)
                    local pa, pb = preferred[a.modality] == true, preferred[b.modality] == true
                    if pa ~= pb then
                        return pa
                    end
                    if a.minutes ~= b.minutes then
                        return a.minutes < b.minutes
                    end
                    return a.id < b.id
                end)
                local lesson = fitting[1]
                local is_preferred = preferred[lesson.modality] == true
                local about = lesson.modality
                    and (" (" .. lesson.modality .. (is_preferred and ", a modality the student prefers" or "") .. ")")
                    or ""
                out[#out + 1] = {
                    skill = skill_id,
                    kind = "mini_lesson",
                    action = "assign",
                    options = { { id = lesson.id, title = lesson.title, modality = lesson.modality } },
                    reason = string.format("%s steps back (%s): assign the %s mini-lesson %s%s to watch before the "
                        .. "next session", skill_id, fmt.list(steps), minutes_text(lesson.minutes),
                        lesson.title and string.format('"%s"', lesson.title) or lesson.id, about),
                    evidence = {
                        lesson = lesson.id,
                        minutes = lesson.minutes,
                        preferred_modality = is_preferred,
                        fitting = #fitting,
                        step_back = evidence_steps,
                        min_minutes = p.min_minutes,
                        max_minutes = p.max_minutes,
                    },
                }
            end
        end
        return out
    end,
}
