-- Hostile rule: c-loop-table-sort-too-big
-- table.sort of a table whose __len says math.maxinteger: Lua refuses it ("array too big"); the
-- old port copied elements in Lua until the budget ran out.
-- expect: kind=rule_error message~=bad argument #1 to 'sort' (array too big) line=9
return {
  id = "c-loop-table-sort-too-big",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __len = function() return math.maxinteger end })
    table.sort(t) -- <== reported line
  end,
}
