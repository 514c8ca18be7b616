import Testing
@testable import Trellis

/// A class-level rule needs no `evaluate`: with only `evaluate_class` it loads, runs once over the
/// class, and adds nothing to any student's result (docs/rule-api.md). Any other rule still needs
/// `evaluate`.
@Suite struct ClassOnlyRuleTests {
    static let census = """
        return { id = "census", api = 1, evaluate_class = function(class, ctx)
          return {{ kind = "census", action = "report", reason = "students: " .. #class.students }}
        end }
        """

    static let document = ClassDocument(
        context: ClassContext(asOf: "2026-11-20"), students: [Student(id: "a"), Student(id: "b"), Student(id: "c")])

    @Test func aClassLevelRuleWithoutEvaluateLoadsAndRuns() throws {
        let engine = try Engine(rulePack: RulePack(sources: [RuleSource(path: "rules/census.lua", source: Self.census)]))
        #expect(engine.rules.map(\.evaluatesClass) == [true])
        let report = engine.evaluate(Self.document)
        #expect(report.outcomes.count == 3)
        #expect(report.issues == [])
        #expect(report.classResult?.recommendations.map(\.reason) == ["students: 3"])
    }

    /// A rule with neither function, or a class-level one that is not a function, is refused as before.
    @Test func aStudentRuleWithoutEvaluateIsStillRefused() throws {
        let noEvaluate = #"return { id = "nothing", api = 1 }"#
        let badClass = #"return { id = "bad", api = 1, evaluate_class = 3 }"#
        for (source, messages) in [
            (noEvaluate, ["the rule table needs evaluate = function(student, ctx) ... end"]),
            (badClass, ["the rule table needs evaluate = function(student, ctx) ... end", "evaluate_class must be a function"]),
        ] {
            do {
                _ = try Engine(rulePack: RulePack(sources: [RuleSource(path: "rules/x.lua", source: source)]))
                Issue.record("loaded \(source)")
            } catch {
                #expect(error.issues.map(\.message) == messages)
            }
        }
    }
}
