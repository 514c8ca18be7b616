-- Hostile rule: leak-pairs-ctx-catalog
-- pairs(ctx.catalog[1]) returns the real catalog item that every rule and student shares; the rule
-- renames it.
-- expect: clean reason~=title=Record
return {
  id = "leak-pairs-ctx-catalog",
  api = 1,
  evaluate = function(student, ctx)
    local before = ctx.catalog[1].title
    pcall(function()
      local _, real = pairs(ctx.catalog[1])
      real.title = "PWNED"
    end)
    return { { kind = "probe", action = "report", reason = "title=" .. before } }
  end,
}
