-- Study buddies: for each skill, pair a student who has mastered it with a classmate who is stepping
-- back on it, so that they practise it together (peer tutoring). A class-level rule: it runs once,
-- after every student, over the students' data and results.
--
-- Who helps: a student whose result for the skill is `mastered` (kind prompt or scaffold), or who
-- meets the mastery criterion at the last prompt level or the last stage (so a mastery that
-- `generalization` holds back until it is shown elsewhere still counts: a buddy is another person).
-- A student who is also stepping back on the skill (for example on the other ladder) does not help.
-- Who is helped: a student with a `step_back` result for the skill (any kind).
--
-- Pairing is deterministic, in input order: the first student stepping back gets the first helper,
-- the second the second, and so on. With max_pairs_per_student above 1, helpers are used again
-- round by round (each round gives every student stepping back at most one more buddy, the
-- helpers taken in turn), and no two students are paired twice on one skill. A student stepping
-- back for whom no helper is left gets a note. Pairs and notes go out with ctx.emit as they are
-- made, skill by skill.
--
-- Defaults and where they come from:
--   max_pairs_per_student = 1: one partner each, the dyad of classwide peer tutoring (Greenwood,
--       C. R., Delquadri, J. C., & Hall, R. V. (1989). Longitudinal effects of classwide peer
--       tutoring. Journal of Educational Psychology, 81(3), 371-383) and of Peer-Assisted Learning
--       Strategies, where the teacher pairs a stronger with a weaker student (Fuchs, D., Fuchs,
--       L. S., Mathes, P. G., & Simmons, D. C. (1997). Peer-Assisted Learning Strategies: making
--       classrooms more responsive to diversity. American Educational Research Journal, 34(1),
--       174-206).
--   mastery_sessions = 3, mastery_percent = 80, min_trials = 5: the mastery criterion of the data
--       contract, section 3 (the defaults of prompt-fading, scaffold-stage and generalization;
--       change them together).

local fmt = trellis.format

local LADDERS = {
    { field = "prompt_level", ladder = "prompt" },
    { field = "stage", ladder = "stage" },
}

-- Kinds whose `mastered` result makes a student a helper.
local MASTERED_KINDS = { prompt = true, scaffold = true }

-- How the student shows the skill mastered: by a mastered result, or by the criterion at the last
-- level of a ladder. Nil when neither. `results` is the student's results about the skill (a list
-- of trellis.class.results_by_skill), nil for none.
local function mastery(results, skill, ctx, criterion)
    for _, result in ipairs(results or {}) do
        if result.action == "mastered" and MASTERED_KINDS[result.kind] then
            return { by = "result", level = result.from, rule = result.rule }
        end
    end
    for _, spec in ipairs(LADDERS) do
        local shown, level = trellis.sessions.mastery_run(skill, spec.field, ctx.ladders[spec.ladder], criterion)
        if shown then
            return {
                by = "criterion", level = level,
                percents = fmt.percents(shown), evidence = trellis.sessions.evidence(shown),
            }
        end
    end
    return nil
end

-- "s-101 has mastered hand-washing (independent)" or "s-101 meets the mastery criterion for ...".
local function helper_text(helper, skill_id, p)
    local m = helper.mastery
    if m.by == "result" then
        return string.format("%s has mastered %s%s", fmt.student(helper.student), skill_id,
            m.level and (" (" .. m.level .. ")") or "")
    end
    return string.format("%s meets the mastery criterion for %s at %s (%s in a row with at least %s%% correct: %s)",
        fmt.student(helper.student), skill_id, m.level, fmt.count(p.mastery_sessions, "session"),
        fmt.number(p.mastery_percent), m.percents)
end

-- "s-107 is stepping back on it (gestural to model)".
local function learner_text(learner)
    local r = learner.result
    local levels = (r.from and r.to) and string.format(" (%s to %s)", r.from, r.to) or ""
    return string.format("%s is stepping back on it%s", fmt.student(learner.student), levels)
end

-- Pairs helpers with learners for one skill: rounds of one more buddy per learner, helpers taken in
-- turn from where the last pairing left off. Calls on_pair(helper, learner) (positions in the two
-- lists) for each pair as it is made; returns the positions of the learners left without one.
local function pair(helper_count, learner_count, max_pairs, on_pair)
    local load, helper_load, taken = {}, {}, {}
    local next_helper, capacity = 1, helper_count * max_pairs
    for i = 1, learner_count do
        load[i] = 0
    end
    for h = 1, helper_count do
        helper_load[h] = 0
    end
    for round = 1, max_pairs do
        for i = 1, learner_count do
            if capacity == 0 then
                break
            end
            if load[i] == round - 1 then
                for step = 0, helper_count - 1 do
                    local h = (next_helper - 1 + step) % helper_count + 1
                    -- One number per pair made, not a table per learner: a skill may have thousands.
                    local key = (i - 1) * helper_count + h
                    if helper_load[h] < max_pairs and not taken[key] then
                        taken[key] = true
                        on_pair(h, i)
                        helper_load[h], load[i] = helper_load[h] + 1, load[i] + 1
                        capacity = capacity - 1
                        next_helper = h % helper_count + 1
                        break
                    end
                end
            end
        end
    end
    local unpaired = {}
    for i = 1, learner_count do
        if load[i] == 0 then
            unpaired[#unpaired + 1] = i
        end
    end
    return unpaired
end

-- One skill's helpers and learners, kept small: over a district roster a skill can have tens of
-- thousands of each. A helper is kept as its position in class.students (its mastery is worked out
-- again only if it is paired); a learner as the few strings its text and evidence need.
local function new_lists()
    return {
        helpers = {}, -- positions in class.students
        learner_ids = {}, learner_names = {}, learner_from = {}, learner_to = {}, learner_rule = {},
    }
end

local function add_learner(lists, student, result)
    local n = #lists.learner_ids + 1
    lists.learner_ids[n] = student.id
    -- false, not nil, keeps the lists in step.
    lists.learner_names[n] = student.name or false
    lists.learner_from[n] = result.from or false
    lists.learner_to[n] = result.to or false
    lists.learner_rule[n] = result.rule or false
end

local function learner(lists, i)
    return {
        student = { id = lists.learner_ids[i], name = lists.learner_names[i] or nil },
        result = {
            from = lists.learner_from[i] or nil, to = lists.learner_to[i] or nil, rule = lists.learner_rule[i] or nil,
        },
    }
end

return {
    id = "study-buddies",
    api = 1,
    description = "Pair a student who has mastered a skill with a classmate stepping back on it",
    priority = 50,
    params = {
        max_pairs_per_student = {
            default = 1, type = "integer", min = 1, max = 10,
            description = "Pairs a student may be in for one skill, as helper or as learner",
        },
        mastery_sessions = {
            default = 3, type = "integer", min = 1, max = 20,
            description = "Sessions in a row at the last prompt level or stage that count as mastered",
        },
        mastery_percent = {
            default = 80, type = "number", min = 0, max = 100,
            description = "Percent correct each of those sessions needs, at least",
        },
        min_trials = {
            default = 5, type = "integer", min = 0, max = 1000,
            description = "Trials each of those sessions needs, at least",
        },
    },

    evaluate_class = function(class, ctx)
        local p = ctx.params
        local criterion = { sessions = p.mastery_sessions, percent = p.mastery_percent, min_trials = p.min_trials }
        -- One pass over the students, each skill of each student once: a streamed roster builds a
        -- student's table when a rule reads it, so a pass per skill would build each one again.
        -- Skills come out in order of first appearance, each skill's students in class order.
        local skill_ids, by_skill = {}, {}
        for position, student in ipairs(class.students) do
            -- The student's results, read once (by skill) when the first skill needs them.
            local done, results = {}, nil
            for _, skill in ipairs(student.skills or {}) do
                local skill_id = skill.id
                if skill_id ~= nil and not done[skill_id] then
                    done[skill_id] = true
                    local lists = by_skill[skill_id]
                    if lists == nil then
                        lists = new_lists()
                        by_skill[skill_id] = lists
                        skill_ids[#skill_ids + 1] = skill_id
                    end
                    results = results or trellis.class.results_by_skill(class, student.id)
                    local back = trellis.class.first(results[skill_id], "step_back")
                    if back then
                        add_learner(lists, student, back)
                    elseif mastery(results[skill_id], skill, ctx, criterion) then
                        lists.helpers[#lists.helpers + 1] = position
                    end
                end
            end
        end
        for _, skill_id in ipairs(skill_ids) do
            local lists = by_skill[skill_id]
            local helper_count, learner_count = #lists.helpers, #lists.learner_ids
            if helper_count > 0 and learner_count > 0 then
                local helpers = {} -- the paired ones, worked out again when first paired
                local function helper(h)
                    local found = helpers[h]
                    if found == nil then
                        local student = class.students[lists.helpers[h]]
                        local skill = trellis.class.skill(student, skill_id)
                        found = {
                            student = { id = student.id, name = student.name },
                            mastery = mastery(trellis.class.results_by_skill(class, student.id)[skill_id], skill,
                                ctx, criterion),
                        }
                        helpers[h] = found
                    end
                    return found
                end
                local unpaired = pair(helper_count, learner_count, p.max_pairs_per_student, function(h, i)
                    local buddy, learning = helper(h), learner(lists, i)
                    ctx.emit({
                        skill = skill_id,
                        kind = "buddies",
                        action = "pair",
                        students = { buddy.student.id, learning.student.id },
                        reason = string.format("%s and %s: pair them to practise %s together",
                            helper_text(buddy, skill_id, p), learner_text(learning), skill_id),
                        evidence = {
                            helper = {
                                student = buddy.student.id,
                                level = buddy.mastery.level,
                                mastered_by = buddy.mastery.by,
                                rule = buddy.mastery.rule,
                                sessions = buddy.mastery.evidence,
                            },
                            learner = {
                                student = learning.student.id,
                                from = learning.result.from,
                                to = learning.result.to,
                                rule = learning.result.rule,
                            },
                            max_pairs_per_student = p.max_pairs_per_student,
                        },
                    })
                end)
                if #unpaired > 0 then
                    local names = {}
                    for k, i in ipairs(unpaired) do
                        names[k] = fmt.student(learner(lists, i).student)
                    end
                    ctx.emit({
                        skill = skill_id,
                        note = string.format(
                            "no study buddy left for %s on %s: %s who %s mastered it %s already in %s, the most "
                            .. "per student (max_pairs_per_student)",
                            fmt.list(names), skill_id,
                            helper_count == 1 and "the 1 student" or ("all " .. helper_count .. " students"),
                            helper_count == 1 and "has" or "have", helper_count == 1 and "is" or "are",
                            fmt.count(p.max_pairs_per_student, "pair")),
                    })
                end
            end
        end
    end,
}
