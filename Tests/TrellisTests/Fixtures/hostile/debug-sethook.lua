-- Hostile rule: debug-sethook
-- Removes the instruction-budget hook with debug.sethook, then loops.
-- expect: kind=rule_error message~=attempt to index a nil value (global 'debug') line=8
return {
  id = "debug-sethook",
  api = 1,
  evaluate = function(student, ctx)
    debug.sethook() -- <== reported line
    while true do end
  end,
}
