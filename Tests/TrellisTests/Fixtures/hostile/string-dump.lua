-- Hostile rule: string-dump
-- Gets bytecode with string.dump (to hand to a loader).
-- expect: kind=rule_error message~=attempt to call a nil value (field 'dump') line=8
return {
  id = "string-dump",
  api = 1,
  evaluate = function(student, ctx)
    local bytecode = string.dump(function() return 1 end) -- <== reported line
  end,
}
