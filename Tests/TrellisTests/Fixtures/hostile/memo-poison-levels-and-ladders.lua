-- Hostile rule: memo-poison-levels-and-ladders
-- The helpers keep a read-only skill's level and newest run per field, and a read-only ladder's
-- positions, once (issue 20, the rules made cheaper). This rule writes into the runs they hand out,
-- then asks again; and it asks about tables of its own (a skill and a ladder) that it changes
-- between questions: a memo that handed out its own list, or that kept the answers for a rule's
-- own table, would give a stale or poisoned answer here, to the witness (which asks for the same
-- skill's level and the same ladder) or to the next student.
-- expect: clean reason~=unpoisoned
local function report(text)
  return { { kind = "probe", action = "report", reason = text } }
end

return {
  id = "memo-poison-levels-and-ladders",
  api = 1,
  evaluate = function(student, ctx)
    local ladder = ctx.ladders.prompt
    for _, skill in ipairs(student.skills or {}) do
      local level = trellis.sessions.current_level(skill, "prompt_level")
      local run = trellis.sessions.at_level(skill, "prompt_level", level)
      local count = #run
      for i = 1, count do
        pcall(function() run[i].prompt_level = "POISONED" end)
        run[i] = { prompt_level = "POISONED", trials = 0 }
      end
      run[#run + 1] = { prompt_level = "POISONED" }
      local again = trellis.sessions.at_level(skill, "prompt_level", level)
      if #again ~= count or (again[1] and again[1].prompt_level ~= level) then
        return report("the run memo gave the poison back")
      end
      local newest = trellis.sessions.at_level(skill, "prompt_level", level, 1)
      if #newest ~= math.min(count, 1)
        or #trellis.sessions.at_level(skill, "prompt_level", level, 1.5) ~= math.min(count, 2) then
        return report("the run memo answered for a count that is not a whole number")
      end
      if trellis.sessions.current_level(skill, "prompt_level") ~= level then
        return report("the level memo changed")
      end
    end

    -- A skill of the rule's own, changed between questions: its answers are never kept.
    local own = { prompt_level = "model", sessions = { { prompt_level = "model" }, { prompt_level = "model" } } }
    local first = trellis.sessions.current_level(own, "prompt_level")
    local first_run = #trellis.sessions.at_level(own, "prompt_level", "model")
    own.prompt_level = "verbal"
    own.sessions[3] = { prompt_level = "verbal" }
    if first ~= "model" or first_run ~= 2 or trellis.sessions.current_level(own, "prompt_level") ~= "verbal"
      or #trellis.sessions.at_level(own, "prompt_level", "model") ~= 0 then
      return report("the level memo kept a rule's own skill")
    end

    -- A ladder of the rule's own, changed between questions, and the class's ladder asked with
    -- levels that are not on it.
    local own_ladder = { "a", "b", "c" }
    local before = trellis.ladder.index(own_ladder, "b")
    own_ladder[1], own_ladder[2] = "b", "a"
    if before ~= 2 or trellis.ladder.index(own_ladder, "b") ~= 1 or trellis.ladder.next(own_ladder, "b") ~= "a" then
      return report("the ladder memo kept a rule's own ladder")
    end
    if trellis.ladder.index(ladder, nil) ~= nil or trellis.ladder.index(ladder, 0 / 0) ~= nil
      or trellis.ladder.index(ladder, {}) ~= nil or trellis.ladder.index(ladder, ladder[2]) ~= 2 then
      return report("the ladder memo answered for a level not on the ladder")
    end
    return report("unpoisoned: the level, run and ladder memos hand out copies and keep only read-only input")
  end,
}
