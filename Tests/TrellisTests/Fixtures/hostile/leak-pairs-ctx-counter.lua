-- Hostile rule: leak-pairs-ctx-counter
-- Keeps a counter in the table behind ctx.params (reached through pairs), which the engine builds
-- once per class: every student must still see 1.
-- expect: clean reason~=count=1
return {
  id = "leak-pairs-ctx-counter",
  api = 1,
  evaluate = function(student, ctx)
    pcall(function()
      local _, real = pairs(ctx.params)
      real.calls = (real.calls or 0) + 1
    end)
    return { { kind = "probe", action = "report", reason = "count=" .. (ctx.params.calls or 1) } }
  end,
}
