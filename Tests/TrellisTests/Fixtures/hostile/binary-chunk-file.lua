LuaT
-- Hostile rule: binary-chunk-file
-- The rule file itself is a binary chunk (it starts with ESC "Lua"): rule files are loaded as text
-- only. (This file's first line is the binary signature, so its header comes second.)
-- expect: load_error message~=attempt to load a binary chunk
return { id = "binary-chunk-file", evaluate = function() end }
