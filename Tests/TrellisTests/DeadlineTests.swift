import Foundation
import Testing
@testable import Trellis

/// The time limit holds for every kind of call, not only those whose hook the watchdog arms late:
/// a small budget (counted from the first instruction) and a rule test with coverage (a line hook
/// on every line) are stopped at their deadline too, within one costly instruction, where the hook
/// alone checks the clock once per 1,000 instructions (250 calls of `utf8.len` over 4 MB, a second
/// or more). The hostile corpus covers the default limits (HostileTimeTests).
@Suite("Deadline", .serialized)
struct DeadlineTests {
    static let milliseconds = 200

    static let rule = RuleSource(
        path: "rules/costly-loop.lua",
        source: """
            return { id = "costly-loop", api = 1, evaluate = function(student, ctx)
              local s = string.rep("a", 4e6)
              for i = 1, 1e9 do utf8.len(s) end
            end }
            """)

    static let document = ClassDocument(
        context: ClassContext(asOf: "2026-11-20", classInfo: ClassInfo(id: "3B", title: "Room 3B", staff: []), catalog: []),
        students: [Student(id: "s-1", name: "Student 1", flags: [], preferredModalities: [], skills: [])])

    enum Call: String, CaseIterable, CustomTestStringConvertible {
        case smallBudget = "a budget small enough to be counted from the first instruction"
        case coverage = "a rule test with coverage"
        case noBudget = "no instruction budget"
        var testDescription: String { rawValue }
    }

    @Test("a loop of costly C calls stops within 1.5 times the time limit", .timeLimit(.minutes(1)), arguments: Call.allCases)
    func stopsAtTheDeadline(_ call: Call) throws {
        let instructions: Int64 = call == .smallBudget ? 500_000 : call == .noBudget ? 0 : 10_000_000
        let limits = RuleLimits(instructions: instructions, memoryBytes: 64 << 20, milliseconds: Self.milliseconds)
        let engine = try Engine(rulePack: RulePack(sources: [Self.rule]), limits: limits, coverage: call == .coverage ? CoverageRecorder() : nil)
        let clock = ContinuousClock()
        let start = clock.now
        let report = engine.evaluate(Self.document)
        let elapsed = clock.now - start
        #expect(report.results.first?.errors.map(\.kind) == [.ruleLimit])
        #expect(report.results.first?.errors.first?.message == "ran longer than \(Self.milliseconds) ms")
        #expect(elapsed <= .milliseconds(Self.milliseconds * 3 / 2), "ran \(elapsed)")
    }
}
