-- Hostile rule: loop-gsub-callback
-- An infinite loop inside a string.gsub replacement function (Lua called from C).
-- expect: kind=rule_limit message~=ran more than 2000000 instructions
return {
  id = "loop-gsub-callback",
  api = 1,
  evaluate = function(student, ctx)
    string.gsub("aaa", "a", function() while true do end end)
  end,
}
