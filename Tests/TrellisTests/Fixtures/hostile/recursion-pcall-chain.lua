-- Hostile rule: recursion-pcall-chain
-- Every level calls itself through pcall until the C stack limit; the innermost pcall catches it
-- and all return.
-- expect: clean reason~=survived the pcall chain
return {
  id = "recursion-pcall-chain",
  api = 1,
  evaluate = function(student, ctx)
    local depth = 0
    local function nest() depth = depth + 1; return pcall(nest) end
    nest()
    return { { kind = "probe", action = "report", reason = "survived the pcall chain" } }
  end,
}
