-- Hostile rule: loadstring
-- Compiles new code with the Lua 5.1 name loadstring.
-- expect: kind=rule_error message~=attempt to call a nil value (global 'loadstring') line=8
return {
  id = "loadstring",
  api = 1,
  evaluate = function(student, ctx)
    local f = loadstring("return 1") -- <== reported line
  end,
}
