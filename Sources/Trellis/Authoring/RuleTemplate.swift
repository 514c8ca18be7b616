/// The files `trellis new` writes: a rule that works as it is, and a test that passes for it.
package enum RuleTemplate {
    package static func rule(named name: String) -> String {
        """
        -- \(name): say in one line what this rule decides, for whom and why.
        return {
          id = "\(name)",
          api = 1,
          description = "Flag skills with fewer sessions than a decision needs",
          priority = 10,
          params = {
            min_sessions = { default = 3, type = "integer", min = 1, max = 50,
                             description = "Sessions a skill needs before anything can be decided" },
          },

          evaluate = function(student, ctx)
            local out = {}
            for _, skill in ipairs(student.skills) do
              local count = #skill.sessions
              if count < ctx.params.min_sessions then
                out[#out + 1] = {
                  skill = skill.id, kind = "data", action = "collect",
                  reason = string.format("only %d of %d sessions recorded for %s", count, ctx.params.min_sessions, skill.id),
                  evidence = { sessions = count, needed = ctx.params.min_sessions },
                }
              end
            end
            return out
          end,
        }

        """
    }

    package static func test(named name: String) -> String {
        """
        # Tests for \(name). Each case gives a student (or `students:`) and what must come out;
        # only the fields you write are compared. Run: trellis test <folder> --run \(name)
        rule: \(name)
        as_of: 2026-11-20
        cases:
          - name: asks for data when a skill has too few sessions
            student:
              id: s1
              skills:
                - id: hand-washing
                  sessions:
                    - { date: 2026-11-17, prompt_level: gestural, trials: 10, correct: 9 }
            expect:
              - { student: s1, skill: hand-washing, kind: data, action: collect, reason_contains: "only 1 of 3" }

          - name: stays quiet with enough sessions
            student:
              id: s2
              skills:
                - id: hand-washing
                  sessions:
                    - { date: 2026-11-17, prompt_level: gestural, trials: 10, correct: 9 }
                    - { date: 2026-11-18, prompt_level: gestural, trials: 10, correct: 9 }
                    - { date: 2026-11-19, prompt_level: gestural, trials: 10, correct: 9 }
            absent:
              - { kind: data }

          - name: a school that asks for 5 sessions
            params: { \(name): { min_sessions: 5 } }
            student:
              id: s3
              skills:
                - id: fractions
                  sessions:
                    - { date: 2026-11-17, stage: guided, trials: 6, correct: 5 }
            expect:
              - { skill: fractions, action: collect, reason_contains: "only 1 of 5" }

        """
    }
}
