-- Hostile rule: memory-many-coroutines
-- Allocates memory through many suspended coroutines.
-- expect: kind=rule_limit message~=used more than 16 MB of memory
return {
  id = "memory-many-coroutines",
  api = 1,
  evaluate = function(student, ctx)
    local keep = {}
    for i = 1, 1e7 do
      local co = coroutine.create(function(...) coroutine.yield(...) end)
      coroutine.resume(co, i, i, i, i)
      keep[i] = co
    end
  end,
}
