import Foundation
import Testing
@testable import Trellis

/// What a rule may put in its output: finite priorities only, and none of the fields the engine
/// writes itself. The student-level cases are in the hostile corpus (priority-*, engine-field-*);
/// these are the class-level paths, returned and emitted.
struct RuleOutputFieldTests {
    let emit = ClassEmitTests()

    @Test(arguments: ["0/0", "math.huge", "-math.huge", "math.sqrt(-1)"])
    func aClassLevelItemWithANonFinitePriorityIsRefused(priority: String) throws {
        let emitted = try emit.engine([
            emit.classRule("emits", "ctx.emit({ kind = \"check\", action = \"look\", reason = \"r\", priority = \(priority) })")
        ])
        let emittedErrors = try #require(emitted.evaluate(ClassEmitTests.students).classResult).errors
        #expect(emittedErrors.count == 1)
        #expect(emittedErrors.first?.message.contains("priority must be a finite number") == true, "\(emittedErrors)")
        // Raised where the rule called ctx.emit: the file and the line.
        #expect(emittedErrors.first?.location == "rules/r1.lua:2", "\(emittedErrors)")

        let returned = try emit.engine([emit.classRule("returns", "return { { kind = \"check\", action = \"look\", reason = \"r\", priority = \(priority) } }")])
        let classResult = try #require(returned.evaluate(ClassEmitTests.students).classResult)
        #expect(classResult.recommendations.isEmpty)
        #expect(classResult.errors.map(\.kind) == [.invalidRecommendation])
        #expect(classResult.errors.first?.message.contains("priority must be a finite number") == true, "\(classResult.errors)")
    }

    @Test func aClassLevelItemCannotSayWhatItWasOverriddenBy() throws {
        let engine = try emit.engine([
            emit.classRule("claims", "ctx.emit({ kind = \"check\", action = \"look\", reason = \"r\", student = \"s-1\", overridden_by = \"other\" })")
        ])
        let classResult = try #require(engine.evaluate(ClassEmitTests.students).classResult)
        #expect(classResult.recommendations.isEmpty)
        #expect(classResult.errors.first?.message.contains("overridden_by is set by the engine") == true, "\(classResult.errors)")
    }

    @Test func aClassLevelItemNamesItsStudentsAsTextOnly() throws {
        // `student` and `students` are a class-level recommendation's own: checked as text, since
        // the table and the CSV show them.
        let good = try emit.engine([
            emit.classRule("pairs", "return { { kind = \"pair\", action = \"sit\", reason = \"r\", students = { \"s-1\", \"s-2\" } }, { kind = \"one\", action = \"x\", reason = \"r\", student = \"s-3\" } }")
        ])
        let result = try #require(good.evaluate(ClassEmitTests.students).classResult)
        #expect(result.errors.isEmpty)
        #expect(result.recommendations.map { $0.extra["students"] ?? $0.extra["student"] } == [.array([.string("s-1"), .string("s-2")]), .string("s-3")])
        for (field, value) in [("student", "42"), ("student", "{ \"s-1\" }"), ("students", "\"s-1\""), ("students", "{ \"s-1\", 2 }")] {
            let engine = try emit.engine([emit.classRule("bad", "return { { kind = \"pair\", action = \"sit\", reason = \"r\", \(field) = \(value) } }")])
            let errors = try #require(engine.evaluate(ClassEmitTests.students).classResult).errors
            #expect(errors.first?.message.contains(field) == true, "\(field) = \(value): \(errors)")
            #expect(errors.first?.kind == .invalidRecommendation, "\(field) = \(value): \(errors)")
        }
    }

    @Test func theWinnerIsTheHigherFinitePriorityAndTheOutputIsValidJSON() throws {
        let engine = try emit.engine([
            "return { id = \"low\", priority = -1e308, evaluate = function() return { { skill = \"k\", kind = \"x\", action = \"a\", reason = \"low\" } } end }",
            "return { id = \"high\", evaluate = function() return { { skill = \"k\", kind = \"x\", action = \"a\", reason = \"high\", priority = 1.7976931348623157e308 } } end }",
        ])
        let report = engine.evaluate(ClassEmitTests.students)
        #expect(report.results.allSatisfy { $0.recommendations.map(\.reason) == ["high"] && $0.overridden.map(\.overriddenBy) == ["high"] })
        let json = ReportFormat.json.render(report)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let first = try #require((parsed?["results"] as? [[String: Any]])?.first)
        #expect((first["recommendations"] as? [[String: Any]])?.first?["priority"] as? Double == 1.7976931348623157e308)
        #expect((first["overridden"] as? [[String: Any]])?.first?["priority"] as? Double == -1e308)
    }
}
