-- Clear expectations: a student whose checklists (or learning contracts) are all far from done
-- this week may not know what is expected. When the student has at least `min_items` work items
-- with a `checklist` due in the `days` days ending as_of (as_of and the days before it), and every
-- one of them has less than `below_percent` of its steps done, the rule asks the teacher to review
-- the checklist or learning contract with the student. One recommendation for the student, about
-- no skill.
--
-- Reads `work[].checklist` ({ done, total }, data contract section 5) and `work[].due`. Students
-- without checklists get nothing; a checklist without a due date cannot be placed in the week and
-- gets a note.
--
-- Defaults and where they come from (data contract, section 5):
--   min_items = 3: three checklists in a week is a pattern, not one hard task; fewer says little.
--   days = 7: the school week ending as_of (as_of - 6 ... as_of), the rhythm of weekly planning.
--   below_percent = 60: well short of done on every one of them; a student who finishes more
--       than half of the steps of some checklist knows what the checklist asks.

local fmt = trellis.format

-- "frac-wk46" or, for a work item without an id, "work item 3 (fractions)".
local function item_name(item, position)
    if type(item.id) == "string" and item.id ~= "" then
        return item.id
    end
    return string.format("work item %d%s", position, item.skill and (" (" .. item.skill .. ")") or "")
end

-- Percent of steps done, rounded down: a reason never shows a threshold an item did not reach.
local function percent_done(checklist)
    return checklist.done * 100 // checklist.total
end

return {
    id = "expectations",
    api = 1,
    description = "Review the checklist or learning contract when this week's checklists are all far from done",
    priority = 50,
    params = {
        min_items = {
            default = 3, type = "integer", min = 1, max = 100,
            description = "Work items with a checklist due in the window, at least",
        },
        days = {
            default = 7, type = "integer", min = 1, max = 366,
            description = "Days ending on as_of in which those work items are due",
        },
        below_percent = {
            default = 60, type = "number", min = 0, max = 100,
            description = "Each of those checklists has less than this percent of its steps done",
        },
    },

    evaluate = function(student, ctx)
        local p = ctx.params
        local out, due, low = {}, {}, true
        for position, item in ipairs(student.work) do
            local checklist = item.checklist
            if checklist ~= nil then
                local ago = trellis.date.days_between(item.due, ctx.as_of)
                if ago == nil then
                    out[#out + 1] = {
                        skill = item.skill,
                        note = string.format("%s has a checklist but no due date: it is not counted for expectations",
                            item_name(item, position)),
                    }
                elseif ago >= 0 and ago < p.days then
                    due[#due + 1] = { item = item, name = item_name(item, position) }
                    -- done / total < below_percent%, in whole numbers: no rounding at the edge.
                    low = low and checklist.done * 100 < p.below_percent * checklist.total
                end
            end
        end
        if #due < p.min_items or not low then
            return out
        end

        local parts, items = {}, {}
        for i, entry in ipairs(due) do
            local checklist = entry.item.checklist
            parts[i] = string.format("%s %d%% (%d of %d steps)", entry.name, percent_done(checklist),
                checklist.done, checklist.total)
            items[i] = {
                id = entry.item.id,
                skill = entry.item.skill,
                due = entry.item.due,
                done = checklist.done,
                total = checklist.total,
                percent = percent_done(checklist),
            }
        end
        out[#out + 1] = {
            kind = "expectations",
            action = "review",
            reason = string.format(
                "%s due in the %s ending %s, each under %s%% done: %s; review the checklist or learning contract "
                .. "with the student",
                fmt.count(#due, "checklist"), fmt.count(p.days, "day"), string.sub(ctx.as_of, 1, 10),
                fmt.number(p.below_percent), table.concat(parts, ", ")),
            evidence = {
                items = items,
                since = trellis.date.add_days(ctx.as_of, 1 - p.days),
                days = p.days,
                min_items = p.min_items,
                below_percent = p.below_percent,
            },
        }
        return out
    end,
}
