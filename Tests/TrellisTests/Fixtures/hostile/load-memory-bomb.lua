-- Hostile rule: load-memory-bomb
-- Doubles a string at the top level of the file until memory runs out.
-- expect: load_error message~=used more than 16 MB of memory
local s = "x"
while true do s = s .. s end
return { id = "load-memory-bomb", evaluate = function() end }
