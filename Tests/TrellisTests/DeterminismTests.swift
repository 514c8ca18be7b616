import Testing
@testable import Trellis

/// Results never depend on the number of workers or on which students came before.
struct DeterminismTests {
    static let roster: Roster = {
        let synthetic = SyntheticRoster(students: 120, seed: 7)
        return Roster(ClassDocument(context: synthetic.context, students: (0..<120).map(synthetic.student)))
    }()

    @Test func oneAndTwoWorkersGiveTheSameReport() throws {
        let engine = try Engine()
        let one = engine.evaluate(Self.roster, jobs: 1)
        let two = engine.evaluate(Self.roster, jobs: 2)
        let four = engine.evaluate(Self.roster, jobs: 4)
        #expect(one.summary.recommendations > 1000)
        #expect(one == two)
        #expect(one == four)
        #expect(ReportFormat.json.render(one) == ReportFormat.json.render(two))
    }

    @Test func reversedStudentsGiveTheSameResultsPerStudent() throws {
        let engine = try Engine()
        let forward = engine.evaluate(Self.roster, jobs: 2)
        var reversedRoster = Self.roster
        reversedRoster.entries.reverse()
        let backward = engine.evaluate(reversedRoster, jobs: 1)
        #expect(Array(backward.outcomes.reversed()) == forward.outcomes)
    }

    @Test func aRuleThatKeepsStateSeesEachStudentAfresh() throws {
        // A global, a module-level local and a coroutine all try to count students.
        let counter = RuleSource(
            path: "rules/counter.lua",
            source: """
                local seen = 0
                local co = coroutine.wrap(function() local n = 0 while true do n = n + 1 coroutine.yield(n) end end)
                return {
                  id = "counter",
                  evaluate = function(student, ctx)
                    seen = seen + 1
                    total = (total or 0) + 1
                    return { { kind = "count", action = "report", reason = string.format("%d %d %d", seen, total, co()) } }
                  end,
                }
                """)
        let engine = try Engine(rulePack: RulePack(sources: [counter]))
        for jobs in [1, 2] {
            let report = engine.evaluate(Self.roster, jobs: jobs)
            #expect(report.results.count == 120)
            #expect(report.results.allSatisfy { $0.recommendations.map(\.reason) == ["1 1 1"] })
        }
    }
}
