-- Hostile rule: return-evidence-huge
-- Returns a large (but JSON-shaped) evidence list of 100,000 numbers: passed through, nothing else
-- affected.
-- expect: clean reason~=huge evidence
return {
  id = "return-evidence-huge",
  api = 1,
  evaluate = function(student, ctx)
    local numbers = {}
    for i = 1, 100000 do numbers[i] = i end
    return { { kind = "probe", action = "report", reason = "huge evidence", evidence = numbers } }
  end,
}
