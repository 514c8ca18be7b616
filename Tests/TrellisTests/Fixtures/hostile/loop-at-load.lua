-- Hostile rule: loop-at-load
-- An infinite loop at the top level of the file: loading the rule must be stopped by the budget.
-- expect: load_error message~=ran more than 2000000 instructions line=4
while true do end -- <== reported line
return { id = "loop-at-load", api = 1, evaluate = function(student, ctx) return nil end }
