-- Choice menu: for each skill the student has not mastered yet, offer a few ways to practise or
-- show it, taken from the catalog: in more than one modality, the student's preferred modalities
-- first, and not in the modalities of their most recent work where the catalog has others.
-- "Mastered" is what the prompt and scaffold rules decided (`reads_results`): a skill whose
-- winning prompt or scaffold recommendation is `mastered`. So a school that asks 90% for mastery
-- of prompt-fading gets menus for the skills that no longer reach it, with no second setting to
-- keep in step. Only when neither rule decided anything for a skill (both turned off, say) does
-- the menu judge mastery itself, by the mastery_* parameters.
-- Catalog items of the kinds in `leave_out_kinds` are never offered: a `mini_lesson` (data
-- contract section 5) is a recorded lesson the mini-lesson rule assigns, not a way to practise.

return {
    id = "choice-menu",
    api = 1,
    description = "Offer a menu of catalog activities for each skill not mastered yet",
    priority = 10,
    reads_results = true,
    params = {
        options = {
            default = 3, type = "integer", min = 1, max = 10,
            description = "Options on a menu",
        },
        iep_options = {
            default = 2, type = "integer", min = 1, max = 10,
            description = "Options on a menu for a student flagged iep",
        },
        min_modalities = {
            default = 2, type = "integer", min = 1, max = 10,
            description = "Different modalities a menu should have, where the catalog allows",
        },
        recent_work = {
            default = 2, type = "integer", min = 0, max = 20,
            description = "Most recent work items whose modalities are left out where the catalog allows",
        },
        mastery_sessions = {
            default = 3, type = "integer", min = 1, max = 20,
            description = "Sessions in a row at the last level that count as mastered, when no rule decided",
        },
        mastery_percent = {
            default = 80, type = "number", min = 0, max = 100,
            description = "Percent correct each of those sessions needs, at least",
        },
        min_trials = {
            default = 5, type = "integer", min = 0, max = 1000,
            description = "Trials each of those sessions needs, at least",
        },
        leave_out_kinds = {
            default = { "mini_lesson" }, type = "list",
            description = "Catalog kinds never offered on a menu (mini-lessons are assigned, not chosen)",
        },
    },

    evaluate = function(student, ctx, results)
        local p = ctx.params
        -- What the prompt and scaffold rules decided, by skill: mastered or not.
        local decided, mastered = {}, {}
        for _, result in ipairs(results or {}) do
            if (result.kind == "prompt" or result.kind == "scaffold") and result.skill ~= nil then
                decided[result.skill] = true
                if result.action == "mastered" then
                    mastered[result.skill] = true
                end
            end
        end
        local fmt = trellis.format
        local mastery = { sessions = p.mastery_sessions, percent = p.mastery_percent, min_trials = p.min_trials }
        local iep = trellis.has_flag(student, "iep")
        local menu_opts = {
            count = iep and p.iep_options or p.options,
            min_modalities = p.min_modalities,
            recent_work = p.recent_work,
        }

        local left_out_kinds = {}
        for _, kind in ipairs(p.leave_out_kinds) do
            left_out_kinds[kind] = true
        end
        -- The skill's catalog items (trellis.catalog.for_skill finds them once per class), less the
        -- kinds left out: what the menu chooses from.
        local function offered(skill_id)
            local items = {}
            for _, item in ipairs(trellis.catalog.for_skill(ctx.catalog, skill_id)) do
                if item.kind == nil or not left_out_kinds[item.kind] then
                    items[#items + 1] = item
                end
            end
            return items
        end

        local out = {}
        for _, skill in ipairs(student.skills) do
            local is_mastered
            if decided[skill.id] then
                is_mastered = mastered[skill.id] == true
            else
                is_mastered = trellis.is_mastered(skill, ctx.ladders, mastery)
            end
            if not is_mastered then
                local options, info = trellis.menu.choose(student, skill.id, offered(skill.id), menu_opts)
                if #options > 0 then
                    local why = {}
                    if #info.preferred > 0 then
                        why[#why + 1] = "prefers " .. fmt.list(info.preferred)
                    end
                    if #info.left_out > 0 then
                        why[#why + 1] = "left out " .. fmt.list(info.left_out) .. ", used in recent work"
                    end
                    local reason = string.format("%s in %s for %s",
                        fmt.count(#options, "option"), fmt.count(#info.modalities, "modality", "modalities"),
                        skill.id)
                    if #why > 0 then
                        reason = reason .. " (" .. table.concat(why, "; ") .. ")"
                    end
                    out[#out + 1] = {
                        skill = skill.id,
                        kind = "choices",
                        action = "offer",
                        options = options,
                        reason = reason,
                        evidence = {
                            count = menu_opts.count,
                            iep = iep,
                            modalities = #info.modalities > 0 and info.modalities or nil,
                            left_out = #info.left_out > 0 and info.left_out or nil,
                            preferred = #info.preferred > 0 and info.preferred or nil,
                        },
                    }
                end
            end
        end
        return out
    end,
}
