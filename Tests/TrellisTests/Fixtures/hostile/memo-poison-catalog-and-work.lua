-- Hostile rule: memo-poison-catalog-and-work
-- The helpers keep each skill's catalog items once per class and a student's recent work once
-- (the faster pack of issue 20). This rule writes into the lists they hand out and into the items
-- in them, then asks again: a memo that handed out its own list, or the real items, would give
-- the poison back here, to the witness (whose menu reads the same catalog) and to the next student.
-- expect: clean reason~=unpoisoned
local function poisoned(list)
  for i = 1, #list do
    if list[i].id == "poison" or list[i].title == "POISONED" or list[i].modality == "POISONED" then return true end
  end
  return false
end

return {
  id = "memo-poison-catalog-and-work",
  api = 1,
  evaluate = function(student, ctx)
    local skills = { "reading" }
    for _, skill in ipairs(student.skills or {}) do skills[#skills + 1] = skill.id end
    for _, skill_id in ipairs(skills) do
      local items = trellis.catalog.for_skill(ctx.catalog, skill_id)
      for i = 1, #items do
        pcall(function() items[i].title = "POISONED" end)
        items[i] = { id = "poison", title = "POISONED", modality = "POISONED", skills = { skill_id } }
      end
      items[#items + 1] = { id = "poison", title = "POISONED", modality = "POISONED", skills = { skill_id } }
      if poisoned(trellis.catalog.for_skill(ctx.catalog, skill_id)) then
        return { { kind = "probe", action = "report", reason = "the catalog memo gave the poison back" } }
      end
    end
    local recent = trellis.work.recent(student, 2)
    for i = 1, #recent do
      pcall(function() recent[i].modality = "POISONED" end)
      recent[i] = { id = "poison", modality = "POISONED" }
    end
    recent[#recent + 1] = { id = "poison", modality = "POISONED" }
    if poisoned(trellis.work.recent(student, 2)) then
      return { { kind = "probe", action = "report", reason = "the work memo gave the poison back" } }
    end
    return { { kind = "probe", action = "report", reason = "unpoisoned: the memos hand out copies of read-only items" } }
  end,
}
