-- Hostile rule: pattern-ordinary-work
-- Not an attack: the ordinary work the old static cost estimate refused ("too costly") although
-- real Lua does it in microseconds. Each must give real Lua's answer.
-- expect: clean reason~=ordinary patterns: 5000 3000 1000 x9999
return {
  id = "pattern-ordinary-work",
  evaluate = function(student, ctx)
    local spaced = string.rep("a b ", 2500)
    local squeezed = spaced:gsub("%s+", "")
    local numbers, count = string.rep("12 ", 3000), 0
    for digits in numbers:gmatch("%d+") do count = count + 1 end
    local key, value = string.match(string.rep("x", 1000) .. " = " .. string.rep("y", 997), "(%w+)%s*=%s*(%w+)")
    local last = string.rep("x", 9999) .. "9"
    local tail = last:match("x(%d)$") and "x" .. #last:match("^(x+)")
    return { {
      kind = "probe", action = "report",
      reason = string.format("ordinary patterns: %d %d %d %s", #squeezed, count, #key, tail),
    } }
  end,
}
