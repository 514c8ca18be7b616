-- Hostile rule: return-deep-nesting
-- Returns evidence nested 100,000 tables deep.
-- expect: kind=invalid_recommendation message~=nested more than 32 levels deep
return {
  id = "return-deep-nesting",
  api = 1,
  evaluate = function(student, ctx)
    local deep = {}
    for i = 1, 100000 do deep = { deep } end
    return { { kind = "probe", action = "report", reason = "r", evidence = deep } }
  end,
}
