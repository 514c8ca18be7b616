-- Hostile rule: poison-shadow-globals
-- Overwrites globals (string, trellis, pairs, tostring) in its own environment: harmless to
-- others.
-- expect: clean reason~=shadowed
return {
  id = "poison-shadow-globals",
  api = 1,
  evaluate = function(student, ctx)
    local format = string.format
    string, trellis, pairs, tostring, math = nil, nil, nil, nil, nil
    leaked = "from the hostile rule"
    return { { kind = "probe", action = "report", reason = format("shadowed globals for %s", student.id) } }
  end,
}
