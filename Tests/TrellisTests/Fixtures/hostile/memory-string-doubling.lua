-- Hostile rule: memory-string-doubling
-- A string doubled with .. until memory runs out.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "memory-string-doubling",
  api = 1,
  evaluate = function(student, ctx)
    local s = "x"
    while true do s = s .. s end
  end,
}
