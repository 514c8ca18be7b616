-- Hostile rule: priority-item-nan-sqrt
-- A NaN made another way (the square root of -1, printed "-nan" on some systems), on the second
-- of two items: the whole output for the student is refused, not just that item.
-- expect: kind=invalid_recommendation message~=recommendation 2: priority must be a finite number
return {
  id = "priority-item-nan-sqrt",
  api = 1,
  evaluate = function(student, ctx)
    return {
      { skill = "hand-washing", kind = "probe", action = "report", reason = "fine" },
      { skill = "hand-washing", kind = "prompt", action = "hold", reason = "NaN wins", priority = math.sqrt(-1) },
    }
  end,
}
