-- Hostile rule: return-fake-proxy-evidence
-- Returns evidence that is a plain table carrying the read-only-proxy mark with a number as
-- __index: it is an empty table, and nothing may read the number as a table.
-- expect: clean reason~=fake proxy
return {
  id = "return-fake-proxy-evidence",
  api = 1,
  evaluate = function(student, ctx)
    local fake = setmetatable({}, { __trellis_readonly = false, __index = 12345 })
    return { { kind = "probe", action = "report", reason = "fake proxy as evidence", evidence = { fake = fake } } }
  end,
}
