-- Hostile rule: pattern-backreference
-- A back-reference (%1) compares the capture again at every placement: (a*)%1b on 100,000 a's
-- compares some 10^10 bytes, by memcmp, in one C call. Charged by the block of bytes compared.
-- expect: kind=rule_limit message~=ran more than 2000000 instructions line=8
return {
  id = "pattern-backreference",
  evaluate = function(student, ctx)
    local found = string.find(string.rep("a", 100000), "(a*)%1b") -- <== reported line
  end,
}
