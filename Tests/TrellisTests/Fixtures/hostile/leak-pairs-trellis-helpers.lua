-- Hostile rule: leak-pairs-trellis-helpers
-- pairs(trellis.ladder) hands out the table behind the read-only helper proxy; the rule replaces
-- next in it.
-- expect: clean reason~=next=verbal
return {
  id = "leak-pairs-trellis-helpers",
  api = 1,
  evaluate = function(student, ctx)
    local before = trellis.ladder.next(ctx.ladders.prompt, "gestural")
    pcall(function()
      local _, real = pairs(trellis.ladder)
      real.next = function() return "independent" end
    end)
    return { { kind = "probe", action = "report", reason = "next=" .. tostring(before) } }
  end,
}
