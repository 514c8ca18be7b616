-- Hostile rule: package-loadlib
-- Loads a C function from a shared library with package.loadlib.
-- expect: kind=rule_error message~=attempt to index a nil value (global 'package') line=8
return {
  id = "package-loadlib",
  api = 1,
  evaluate = function(student, ctx)
    local system = package.loadlib("libc.so.6", "system") -- <== reported line
  end,
}
