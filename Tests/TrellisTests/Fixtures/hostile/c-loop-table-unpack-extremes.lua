-- Hostile rule: c-loop-table-unpack-extremes
-- table.unpack from math.mininteger to math.maxinteger: Lua refuses it at once ("too many results
-- to unpack"); the old port's size check overflowed and it looped until the budget ran out. And
-- the empty range the other way round gives no values (the old port gave 2).
-- expect: clean reason~=unpack: too many results to unpack, 0
return {
  id = "c-loop-table-unpack-extremes",
  evaluate = function(student, ctx)
    local ok, message = pcall(table.unpack, {}, math.mininteger, math.maxinteger)
    local count = select("#", table.unpack({}, math.maxinteger, math.mininteger))
    return { { kind = "probe", action = "report", reason = string.format("unpack: %s, %d", message, count) } }
  end,
}
