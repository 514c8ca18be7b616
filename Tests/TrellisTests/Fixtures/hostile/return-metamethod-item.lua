-- Hostile rule: return-metamethod-item
-- Returns an item whose missing fields come from an __index metamethod that loops forever: the
-- engine must read the result raw, never running rule code once the budget is lifted.
-- expect: kind=invalid_recommendation message~=recommendation 1: reason is required
return {
  id = "return-metamethod-item",
  api = 1,
  evaluate = function(student, ctx)
    local trap = function() while true do end end
    local item = setmetatable({ kind = "probe", action = "report" }, { __index = trap })
    return { item }
  end,
}
