-- Hostile rule: debug-getregistry
-- Reaches the registry (and through it every shared table) with debug.getregistry.
-- expect: kind=rule_error message~=attempt to index a nil value (global 'debug') line=8
return {
  id = "debug-getregistry",
  api = 1,
  evaluate = function(student, ctx)
    local registry = debug.getregistry() -- <== reported line
  end,
}
