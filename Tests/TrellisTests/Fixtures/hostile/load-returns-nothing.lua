-- Hostile rule: load-returns-nothing
-- A chunk that returns nothing.
-- expect: load_error message~=the rule file must return a table
local rule = { id = "load-returns-nothing", evaluate = function() end }
