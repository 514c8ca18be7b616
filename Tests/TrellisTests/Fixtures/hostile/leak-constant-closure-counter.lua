-- Hostile rule: leak-constant-closure-counter
-- A closure with a counter kept inside a constant: the reuse check saw a read-only table and
-- did not look inside, so the counter survived from one student to the next.
-- expect: load_error message~=function of the rule's own line=8
local seen = 0
local names = ""
local function remember(name) seen = seen + 1; local before = names; names = names .. "," .. name; return before end
local C = trellis.constant({ remember = remember })
return { id = "leak-constant-closure-counter", api = 1, evaluate = function(student)
  return { { kind = "probe", action = "x", reason = "before: " .. C.remember(tostring(student.name)) } }
end }
