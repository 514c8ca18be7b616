-- Hostile rule: priority-rule-inf
-- An infinite rule priority (math.huge): JSON has no infinity, so it would be written as null
-- while beating every finite priority. The pack must not load.
-- expect: load_error message~=priority must be a finite number line=8
return {
  id = "priority-rule-inf",
  api = 1,
  priority = math.huge, -- <== reported line
  evaluate = function(student, ctx)
    return { { skill = "hand-washing", kind = "prompt", action = "hold", reason = "infinite priority" } }
  end,
}
