-- Self-assessment check-in: when a student's newest traffic-light self-assessment for a skill is red
-- or yellow, the teacher checks in with them; and also when it is green while their newest scores
-- for the skill are low (a confident student whose work says otherwise). One check-in per skill.
--
-- Reads `self_assessments` (date, skill, rating), the skill's graded `work` (score, due) and the
-- skill's newest session (contract fields). A self-assessment without a skill is not about a skill
-- and is left out.
--
-- Defaults and where they come from:
--   red and yellow mean a check-in: in the traffic-lights routine, yellow asks the teacher to check
--       in and red asks for help now (Saskatchewan Teachers' Federation, "Traffic Lights" process
--       card, adapted from Lipton, L., & Wellman, B. (2011). Groups at work, p. 36. MiraVia).
--   low_score   = 0.5  a graded score below 50%, and
--   low_percent = 50   a session below 50% correct: the bundled rules' threshold for a session in
--                      which the student struggles (step back below 50%, data contract, section 3).
--   min_trials  = 5    the bundled rules' trials for a session to count (data contract, section 3).

local fmt = trellis.format

local function day(date)
    return date and string.sub(date, 1, 10) or ""
end

-- A 0..1 score as a percent rounded down ("45%"); the tiny offset keeps 0.29 from showing as 28%.
local function score_percent(score)
    return math.floor(score * 100 + 1e-9)
end

-- A threshold for a reason: 0.5 -> "50", 0.55 -> "55" (no floating-point tail).
local function shown(x)
    return fmt.number(tonumber(string.format("%.10g", x)))
end

-- The newest self-assessment of each skill (by date; a later entry wins a tie; one without a date
-- is the oldest), and the skills in order of their first self-assessment.
local function newest_ratings(student)
    local newest, order = {}, {}
    for _, a in ipairs(student.self_assessments) do
        if a.skill ~= nil then
            local current = newest[a.skill]
            if current == nil then
                order[#order + 1] = a.skill
            end
            if current == nil or day(a.date) >= day(current.date) then
                newest[a.skill] = a
            end
        end
    end
    return newest, order
end

-- The skill's newest graded work item with a score (by due date; a later entry wins a tie).
local function newest_graded(student, skill_id)
    local newest
    for _, item in ipairs(student.work) do
        if item.skill == skill_id and item.status == "graded" and item.score ~= nil then
            if newest == nil or day(item.due) >= day(newest.due) then
                newest = item
            end
        end
    end
    return newest
end

-- The skill's newest session, or nil.
local function newest_session(student, skill_id)
    for _, skill in ipairs(student.skills) do
        if skill.id == skill_id then
            return skill.sessions[#skill.sessions]
        end
    end
    return nil
end

local function describe_work(item)
    return string.format("newest graded work%s%s scored %d%%", item.id and (" " .. item.id) or "",
        item.due and (", due " .. day(item.due) .. ",") or "", score_percent(item.score))
end

local function describe_session(session)
    local p = trellis.percent(session)
    return string.format("newest session%s %s", session.date and (" on " .. day(session.date)) or "",
        p and string.format("%d%% correct of %s", math.floor(p), fmt.count(session.trials, "trial")) or "had no trials")
end

local function decide(student, skill_id, assessment, p)
    local when = assessment.date and (" on " .. day(assessment.date)) or ""
    if assessment.rating == nil then
        return { skill = skill_id, note = string.format("the newest self-assessment of %s%s has no rating",
            skill_id, when) }
    end
    local work = newest_graded(student, skill_id)
    local session = newest_session(student, skill_id)
    local evidence = {
        rating = assessment.rating,
        date = assessment.date and day(assessment.date) or nil,
        work = work and { id = work.id, due = work.due and day(work.due) or nil, score = work.score } or nil,
        session = session and trellis.sessions.evidence({ session })[1] or nil,
    }
    local rec = { skill = skill_id, kind = "conference", action = "check_in", evidence = evidence }

    if assessment.rating == "red" or assessment.rating == "yellow" then
        local seen = {}
        if work then
            seen[#seen + 1] = describe_work(work)
        end
        if session then
            seen[#seen + 1] = describe_session(session)
        end
        rec.reason = string.format("rated %s %s%s%s: check in with the student", skill_id, assessment.rating, when,
            #seen > 0 and (" (" .. table.concat(seen, "; ") .. ")") or "")
        return rec
    end

    -- Green: check in only when the newest scores are low.
    local low = {}
    if work and work.score < p.low_score then
        low[#low + 1] = string.format("%s, below %s%%", describe_work(work), shown(p.low_score * 100))
    end
    if session and trellis.below(session, p.low_percent, p.min_trials) then
        low[#low + 1] = string.format("%s, below %s%%", describe_session(session), shown(p.low_percent))
    end
    if #low > 0 then
        rec.reason = string.format("rated %s green%s, but the %s: check in with the student",
            skill_id, when, table.concat(low, ", and the "))
        return rec
    end
    local session_counts = session and trellis.percent(session) ~= nil and session.trials >= p.min_trials
    if work == nil and not session_counts then
        return { skill = skill_id, note = string.format(
            "%s rated green%s, with no graded work and no session of at least %s to compare it with",
            skill_id, when, fmt.count(p.min_trials, "trial")) }
    end
    return nil
end

return {
    id = "self-assessment",
    api = 1,
    description = "Check in with a student who rates a skill red or yellow, or green while their newest scores are low",
    priority = 50,
    params = {
        low_score = {
            default = 0.5, type = "number", min = 0, max = 1,
            description = "A newest graded score (0 to 1) below this is low",
        },
        low_percent = {
            default = 50, type = "number", min = 0, max = 100,
            description = "A newest session below this percent correct is low",
        },
        min_trials = {
            default = 5, type = "integer", min = 0, max = 1000,
            description = "Trials the newest session needs to count as low",
        },
    },

    evaluate = function(student, ctx)
        local newest, order = newest_ratings(student)
        local out = {}
        for _, skill_id in ipairs(order) do
            out[#out + 1] = decide(student, skill_id, newest[skill_id], ctx.params)
        end
        return out
    end,
}
