-- Hostile rule: c-loop-table-move
-- table.move over 10^14 positions of an empty table: a loop inside C that runs no Lua instruction,
-- so neither the instruction hook nor the deadline check ever runs. It must be refused or stopped,
-- not run for days.
-- expect: kind=rule_error|rule_limit
return {
  id = "c-loop-table-move",
  api = 1,
  evaluate = function(student, ctx)
    table.move({}, 1, 1e14, 1)
  end,
}
