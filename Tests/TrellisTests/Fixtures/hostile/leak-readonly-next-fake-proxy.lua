-- Hostile rule: leak-readonly-next-fake-proxy
-- Takes the iterator function that pairs(student) returns and calls it on the rule's own tables:
-- one whose metatable has no __index, one with a number as __index, one with a string. It must
-- fail with an error (or iterate nothing), never read that value as a table.
-- expect: clean reason~=survived
return {
  id = "leak-readonly-next-fake-proxy",
  api = 1,
  evaluate = function(student, ctx)
    local iterate = pairs(student)
    local results = {}
    for i, fake in ipairs({ setmetatable({}, {}), setmetatable({}, { __index = 12345 }), setmetatable({}, { __index = print or "text" }) }) do
      results[i] = tostring((pcall(iterate, fake, nil)))
    end
    return { { kind = "probe", action = "report", reason = "survived " .. table.concat(results, ",") } }
  end,
}
