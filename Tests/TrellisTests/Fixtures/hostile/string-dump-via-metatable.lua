-- Hostile rule: string-dump-via-metatable
-- Gets string.dump through the string metatable: ("").dump.
-- expect: kind=rule_error message~=attempt to call a nil value (field 'dump') line=8
return {
  id = "string-dump-via-metatable",
  api = 1,
  evaluate = function(student, ctx)
    local bytecode = ("").dump(function() return 1 end) -- <== reported line
  end,
}
