-- Hostile rule: loop-in-error-tostring
-- Raises an error object whose __tostring loops forever, so turning the error into text never
-- ends.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-in-error-tostring",
  api = 1,
  evaluate = function(student, ctx)
    error(setmetatable({}, { __tostring = function() while true do end end }))
  end,
}
