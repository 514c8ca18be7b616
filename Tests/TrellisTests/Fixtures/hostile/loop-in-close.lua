-- Hostile rule: loop-in-close
-- A to-be-closed variable whose __close metamethod loops forever when evaluate returns.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-in-close",
  api = 1,
  evaluate = function(student, ctx)
    local guard <close> = setmetatable({}, { __close = function() while true do end end })
    return { { kind = "escaped", action = "report", reason = "returned past __close" } }
  end,
}
