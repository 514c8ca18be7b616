-- Hostile rule: c-loop-table-move-string-args
-- table.move with the range given as strings ("1", "100000000000000"): the library converts them
-- to integers, so a check that looks only at numbers lets 10^14 positions through to a C loop
-- without hooks.
-- expect: kind=rule_error|rule_limit
return {
  id = "c-loop-table-move-string-args",
  api = 1,
  evaluate = function(student, ctx)
    table.move({}, "1", "100000000000000", 1)
  end,
}
