-- Hostile rule: c-cost-gsub-table-long-keys
-- gsub with a table replacement read through a chain of 1,990 __index tables that ends in a C
-- function (rawequal): each of a million matches walks the chain in C, about 40 µs, inside one
-- call of gsub. The deadline is checked at every match.
-- limit: milliseconds=300
-- expect: kind=rule_limit message~=ran longer than 300 ms
return {
  id = "c-cost-gsub-table-long-keys",
  evaluate = function(student, ctx)
    local t = setmetatable({}, { __index = rawequal })
    for i = 1, 1990 do t = setmetatable({}, { __index = t }) end
    local result = string.rep("a", 1e6):gsub(".", t)
  end,
}
