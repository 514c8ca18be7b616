-- The benchmarks' simple rule: fade a skill's prompt one level when its 3 newest sessions are all
-- at the current level with at least 80% correct each. Written without the `trellis` helpers and
-- with integer arithmetic only, so that it runs unchanged, with the same results, in Trellis, in
-- the minimal C host (benchmarks/c-host) and in Python with lupa (benchmarks/lupa).

local SESSIONS, PERCENT = 3, 80

return {
    id = "fade-on-three",
    api = 1,
    description = "Fade the prompt one level after 3 sessions in a row at the current level with at least 80% correct",
    priority = 50,

    evaluate = function(student, ctx)
        local ladder = ctx.ladders.prompt
        local out = {}
        for _, skill in ipairs(student.skills) do
            local sessions = skill.sessions
            local n = #sessions
            local level = skill.prompt_level or (n > 0 and sessions[n].prompt_level) or nil
            if level ~= nil and n >= SESSIONS then
                local ok = true
                for i = n - SESSIONS + 1, n do
                    local s = sessions[i]
                    local trials = s.trials or 0
                    if s.prompt_level ~= level or trials == 0 or (s.correct or 0) * 100 < PERCENT * trials then
                        ok = false
                        break
                    end
                end
                if ok then
                    local to
                    for i = 1, #ladder - 1 do
                        if ladder[i] == level then to = ladder[i + 1] break end
                    end
                    if to ~= nil then
                        out[#out + 1] = {
                            skill = skill.id, kind = "prompt", action = "fade", from = level, to = to,
                            reason = SESSIONS .. " sessions in a row at " .. level .. " with at least "
                                .. PERCENT .. "% correct",
                        }
                    end
                end
            end
        end
        return out
    end,
}
