-- Hostile rule: c-loop-table-remove-toctou
-- table.remove on a table whose __len says 1 the first time it is asked and math.maxinteger after
-- that. table.remove asks for the length once, so this is a one-element removal; an engine that
-- checks the length in Lua and then lets the C function ask again sees 1 and then loops in C over
-- the huge length.
-- expect: clean reason~=removed
return {
  id = "c-loop-table-remove-toctou",
  api = 1,
  evaluate = function(student, ctx)
    local asked = 0
    local liar = setmetatable({}, { __len = function()
      asked = asked + 1
      return asked == 1 and 1 or math.maxinteger
    end })
    table.remove(liar, 1)
    return { { kind = "probe", action = "report", reason = "removed from a table that lies about its length" } }
  end,
}
