-- Hostile rule: memory-many-coroutines
-- Allocates memory through many suspended coroutines, each holding a deep stack.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "memory-many-coroutines",
  api = 1,
  evaluate = function(student, ctx)
    local function dig(n) if n == 0 then coroutine.yield() else dig(n - 1) end end
    local keep = {}
    for i = 1, 1e6 do
      local co = coroutine.create(dig)
      coroutine.resume(co, 4000)
      keep[i] = co
    end
  end,
}
