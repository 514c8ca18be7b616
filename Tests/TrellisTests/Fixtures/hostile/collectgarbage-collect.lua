-- Hostile rule: collectgarbage-collect
-- Forces a full collection with collectgarbage("collect").
-- expect: kind=rule_error message~=collectgarbage line=8
return {
  id = "collectgarbage-collect",
  api = 1,
  evaluate = function(student, ctx)
    collectgarbage("collect") -- <== reported line
  end,
}
