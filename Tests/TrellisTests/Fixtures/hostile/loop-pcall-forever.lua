-- Hostile rule: loop-pcall-forever
-- Catches the budget error with pcall and loops again, forever.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-pcall-forever",
  api = 1,
  evaluate = function(student, ctx)
    local caught = 0
    while true do
      local ok, err = pcall(function() while true do end end)
      if not ok then caught = caught + 1 end
    end
  end,
}
