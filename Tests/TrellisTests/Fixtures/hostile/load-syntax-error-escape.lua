-- Hostile rule: load-syntax-error-escape
-- A syntax error whose "near" text is a string holding raw escape bytes: the load error is shown
-- with them escaped (the harness checks every issue's text).
-- expect: load_error message~=near line=7
return {
  id = "load-syntax-error-escape",
  evaluate = 1 "]0;pwned[2J",
}
