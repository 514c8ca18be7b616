-- Hostile rule: c-loop-table-concat-len
-- table.concat of a table whose __len claims 10^12 elements, each read as 0 through a C function:
-- the result grows a byte per element, and each element is charged.
-- expect: kind=rule_limit line=9
return {
  id = "c-loop-table-concat-len",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __len = function() return 1e12 end, __index = rawlen })
    local joined = table.concat(t) -- <== reported line
  end,
}
