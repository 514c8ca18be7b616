-- Hostile rule: session-c-built-writes
-- A session's table is now built in C in one call (trellis_push_session, issue 20), keys set from
-- strings the state holds for SessionField, then sealed. This rule tries to write every contract
-- field of every session, a field no session has, the session's metatable, and the sessions list
-- (insert, remove, sort, move), then reads everything back: a session the C builder left unsealed,
-- or sealed after a rule could reach it, lets a write through, and the witness and the next
-- student (whose tables reuse the recycled proxies) would see it.
-- expect: clean reason~=sealed
local fields = { "date", "prompt_level", "stage", "trials", "correct", "independent", "setting", "staff", "extra" }

local function snapshot(sessions)
  local copy = {}
  for i = 1, #sessions do
    local row = {}
    for _, field in ipairs(fields) do row[field] = sessions[i][field] end
    copy[i] = row
  end
  return copy
end

return {
  id = "session-c-built-writes",
  api = 1,
  evaluate = function(student)
    local leaks = {}
    for _, skill in ipairs(student.skills) do
      local sessions = skill.sessions
      local before = snapshot(sessions)
      for i = 1, #sessions do
        for _, field in ipairs(fields) do
          if pcall(function() sessions[i][field] = 999 end) then leaks[#leaks + 1] = field end
        end
        if pcall(setmetatable, sessions[i], {}) then leaks[#leaks + 1] = "setmetatable" end
      end
      if pcall(table.insert, sessions, { date = "2026-11-30", trials = 1, correct = 1 }) then leaks[#leaks + 1] = "insert" end
      if pcall(table.remove, sessions, 1) then leaks[#leaks + 1] = "remove" end
      if pcall(table.sort, sessions, function(a, b) return a.date > b.date end) then leaks[#leaks + 1] = "sort" end
      if pcall(table.move, sessions, 1, 1, 2) then leaks[#leaks + 1] = "move" end
      local after = snapshot(sessions)
      if #after ~= #before then leaks[#leaks + 1] = "length" end
      for i = 1, #before do
        for _, field in ipairs(fields) do
          if after[i] == nil or after[i][field] ~= before[i][field] then leaks[#leaks + 1] = "changed " .. field end
        end
      end
      if before[1] == nil or before[1].trials == nil or before[1].date == nil then leaks[#leaks + 1] = "no fields read" end
    end
    if #leaks > 0 then
      return { { kind = "probe", action = "report", reason = "leaked: " .. table.concat(leaks, ", ") } }
    end
    return { { kind = "probe", action = "report", reason = "sealed: every write to a C-built session was refused" } }
  end,
}
