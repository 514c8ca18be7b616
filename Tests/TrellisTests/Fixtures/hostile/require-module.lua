-- Hostile rule: require-module
-- Loads a module with require.
-- expect: kind=rule_error message~=attempt to call a nil value (global 'require') line=8
return {
  id = "require-module",
  api = 1,
  evaluate = function(student, ctx)
    local lfs = require("lfs") -- <== reported line
  end,
}
