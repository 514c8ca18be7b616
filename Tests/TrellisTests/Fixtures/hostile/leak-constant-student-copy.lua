-- Hostile rule: leak-constant-student-copy
-- A constant made inside evaluate from the student's own tables is a copy: a fresh read-only
-- table for this student only, which never points at the pooled proxies that the next student's
-- tables reuse. Kept in a file-level local, it makes the rule run afresh (the local changed).
-- expect: clean reason~=previous: none
local kept = nil
return { id = "leak-constant-student-copy", api = 1, evaluate = function(student)
  local previous = kept and (kept.id .. "/" .. tostring(kept.name)) or "none"
  kept = trellis.constant(student)
  local copy = kept.skills[1].sessions[1]
  local writable = pcall(function() copy.trials = 99 end)
  return { { kind = "probe", action = "x", reason = "previous: " .. previous .. " writable=" .. tostring(writable) } }
end }
