-- Hostile rule: c-loop-table-sort-toctou
-- table.sort on a table whose __len says 1 the first time and 2,147,483,646 after that, whose
-- elements all read as 0 through a C function (__index = rawlen) and whose writes vanish into
-- another (__newindex = rawequal). table.sort asks for the length once, so this sorts one element;
-- an engine that checks the length in Lua and lets the C sort ask again sends it over two billion
-- elements without a single Lua instruction.
-- expect: clean reason~=sorted
return {
  id = "c-loop-table-sort-toctou",
  api = 1,
  evaluate = function(student, ctx)
    local asked = 0
    local endless = setmetatable({}, {
      __len = function()
        asked = asked + 1
        return asked == 1 and 1 or 2147483646
      end,
      __index = rawlen,
      __newindex = rawequal,
    })
    table.sort(endless)
    return { { kind = "probe", action = "report", reason = "sorted a table that lies about its length" } }
  end,
}
