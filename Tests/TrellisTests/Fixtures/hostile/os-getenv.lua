-- Hostile rule: os-getenv
-- Reads the environment with os.getenv.
-- expect: kind=rule_error message~=attempt to call a nil value (field 'getenv') line=8
return {
  id = "os-getenv",
  api = 1,
  evaluate = function(student, ctx)
    local home = os.getenv("HOME") -- <== reported line
  end,
}
