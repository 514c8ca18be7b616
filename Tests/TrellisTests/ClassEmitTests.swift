import Foundation
import Testing
@testable import Trellis

/// `ctx.emit`: a class-level rule hands over recommendations as it makes them, so neither it nor
/// the engine holds one for every student of a large roster.
struct ClassEmitTests {
    static let students = ClassDocument(
        context: ClassContext(asOf: "2026-11-20"),
        students: [Student(id: "s-1"), Student(id: "s-2", name: "Target"), Student(id: "s-3")])

    func engine(_ sources: [String], limits: RuleLimits = RuleLimits()) throws -> Engine {
        try Engine(
            rulePack: RulePack(sources: sources.enumerated().map { RuleSource(path: "rules/r\($0.offset + 1).lua", source: $0.element) }),
            limits: limits)
    }

    /// A class-level rule over `body`, with `evaluate` returning nothing.
    func classRule(_ id: String, _ body: String) -> String {
        """
        return { id = "\(id)", evaluate = function() return nil end, evaluate_class = function(class, ctx)
        \(body)
        end }
        """
    }

    /// Emits one recommendation per student, then returns one for the class.
    var perStudent: String {
        classRule(
            "each",
            """
              for _, s in ipairs(class.students) do
                ctx.emit({ kind = "check", action = "look", student = s.id, reason = "emitted for " .. s.id })
              end
              ctx.emit({ note = "all emitted" })
              return { { kind = "check", action = "sum", reason = "returned after " .. #class.students } }
            """)
    }

    /// The same run over the same students as a stream, with class recommendations delivered.
    func streamed(_ engine: Engine, _ document: ClassDocument) throws -> (delivered: [Recommendation], result: StreamedEvaluation) {
        let text = document.students.map { DocumentJSON.student($0) }.joined(separator: "\n")
        let delivered = Delivered()
        let result = try withTemporaryInput(text) { descriptor in
            try engine.evaluate(
                NDJSONInput(descriptor: descriptor, sourceName: "class.ndjson"), context: document.context, deliver: { _ in },
                deliverClass: { delivered.append($0) })
        }
        return (delivered.all, result)
    }

    @Test func emittedRecommendationsComeInOrderBeforeTheReturnedOnes() throws {
        let engine = try engine([perStudent])
        let classResult = try #require(engine.evaluate(Self.students).classResult)
        #expect(classResult.errors.isEmpty)
        #expect(classResult.recommendations.map(\.reason) == ["emitted for s-1", "emitted for s-2", "emitted for s-3", "returned after 3"])
        #expect(classResult.recommendations.map { $0.extra["student"] } == [.string("s-1"), .string("s-2"), .string("s-3"), nil])
        #expect(classResult.recommendations.allSatisfy { $0.rule == "each" })
        #expect(classResult.notes.map(\.message) == ["all emitted"])
    }

    @Test func aStreamDeliversThemOneByOneAndCountsThem() throws {
        let engine = try engine([perStudent])
        let whole = engine.evaluate(Self.students)
        let (delivered, result) = try streamed(engine, Self.students)
        #expect(delivered == whole.classResult?.recommendations)
        #expect(result.classResult?.recommendations == [])
        #expect(result.classResult?.notes.map(\.message) == ["all emitted"])
        #expect(result.summary.classRecommendations == 4)
        #expect(result.summary == whole.summary)
    }

    @Test func aBadItemFailsWhereItWasEmittedAndWhatCameBeforeStands() throws {
        let engine = try engine([
            classRule(
                "bad",
                """
                  ctx.emit({ kind = "check", action = "look", reason = "first" })
                  ctx.emit({ kind = "check", action = "look" })
                  ctx.emit({ kind = "check", action = "look", reason = "never" })
                """),
            perStudent,
        ])
        let classResult = try #require(engine.evaluate(Self.students).classResult)
        #expect(classResult.recommendations.map(\.reason) == ["first", "emitted for s-1", "emitted for s-2", "emitted for s-3", "returned after 3"])
        let error = try #require(classResult.errors.first)
        #expect(classResult.errors.count == 1)
        #expect(error.kind == .ruleError)
        #expect(error.rule == "bad")
        #expect(error.location == "rules/r1.lua:3")
        #expect(error.message == "ctx.emit: recommendation 2: reason is required: say why, in words a teacher reads")
    }

    @Test func onlyTablesCanBeEmittedAndACaughtErrorLetsTheRuleGoOn() throws {
        let engine = try engine([
            classRule(
                "caught",
                """
                  local ok, message = pcall(ctx.emit, "not a table")
                  ctx.emit({ kind = "check", action = "look", reason = tostring(ok) .. ": " .. message })
                """)
        ])
        let classResult = try #require(engine.evaluate(Self.students).classResult)
        #expect(classResult.errors.isEmpty)
        #expect(classResult.recommendations.map(\.reason) == ["false: ctx.emit takes a recommendation or a note (a table), not a string"])
    }

    @Test func aRuleCanEmitFromACoroutine() throws {
        let engine = try engine([
            classRule(
                "co",
                """
                  local co = coroutine.wrap(function()
                    for _, s in ipairs(class.students) do
                      ctx.emit({ kind = "check", action = "look", reason = "from a coroutine: " .. s.id })
                      coroutine.yield()
                    end
                  end)
                  for _ = 1, #class.students do co() end
                """)
        ])
        let (delivered, result) = try streamed(engine, Self.students)
        #expect(result.classResult?.errors == [])
        #expect(delivered.map(\.reason) == ["s-1", "s-2", "s-3"].map { "from a coroutine: \($0)" })
    }

    @Test func evaluateForOneStudentCannotEmit() throws {
        let engine = try engine([
            """
            return { id = "student-level", evaluate = function(student, ctx)
              ctx.emit({ kind = "check", action = "look", reason = "no" })
            end }
            """
        ])
        let report = engine.evaluate(Self.students)
        for result in report.results {
            #expect(result.recommendations.isEmpty)
            #expect(result.errors.map(\.message) == ["ctx.emit is for evaluate_class; evaluate returns its recommendations"])
            #expect(result.errors.map(\.location) == ["rules/r1.lua:2"])
        }
    }

    @Test func emittedTextCountsAgainstTheClassOutputBudget() throws {
        // 1 MB a student: three students may emit at most 3 MB between them.
        let engine = try engine([
            classRule(
                "big",
                """
                  local text = string.rep("x", 512 * 1024)
                  for i = 1, 10 do ctx.emit({ kind = "check", action = "look", reason = text }) end
                """)
        ])
        let classResult = try #require(engine.evaluate(Self.students).classResult)
        #expect(classResult.recommendations.count == 5)
        #expect(classResult.errors.map(\.message) == ["ctx.emit: item 6: the output is larger than 1 MB, the most a rule may return per student"])
    }
}

/// Class recommendations as a stream delivers them.
final class Delivered: @unchecked Sendable {
    private var recommendations: [Recommendation] = []
    private let lock = NSLock()

    func append(_ recommendation: Recommendation) { lock.withLock { recommendations.append(recommendation) } }
    var all: [Recommendation] { lock.withLock { recommendations } }
}
