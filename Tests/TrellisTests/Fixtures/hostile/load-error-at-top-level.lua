-- Hostile rule: load-error-at-top-level
-- Raises an error while the file loads.
-- expect: load_error message~=boom while loading line=5
local ready = false
if not ready then error("boom while loading") end -- <== reported line
return { id = "load-error-at-top-level", evaluate = function() end }
