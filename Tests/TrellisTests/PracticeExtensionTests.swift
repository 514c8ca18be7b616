import Foundation
import Testing
@testable import Trellis

/// The practice extensions of the data contract (section 5): the fields reach rules on every
/// path (a student, a class, a streamed class), `trellis.mastery_probability` agrees with values
/// computed independently, and a rule with `reads_results` sees the student's winning
/// recommendations.
@Suite(.serialized)
struct PracticeExtensionTests {
    static let rulesFolder = BundledRuleTests.rulesFolder

    func engine(_ sources: [String], isolation: Engine.Isolation = .sandboxed) throws -> Engine {
        try Engine(
            rulePack: RulePack(sources: sources.enumerated().map { RuleSource(path: "rules/r\($0.offset + 1).lua", source: $0.element) }),
            isolation: isolation)
    }

    func roster(_ text: String) throws -> Roster {
        try RosterReader.read(Array(text.utf8), sourceName: "class.json")
    }

    // MARK: The fields reach rules

    static let document = """
        {"trellis": 1, "as_of": "2026-11-20",
         "catalog": [{"id": "frac-mini", "title": "Halves", "kind": "mini_lesson", "modality": "video", "skills": ["fractions"], "minutes": 7.5}],
         "students": [
           {"id": "s-1", "flags": ["no_badges"],
            "skills": [{"id": "fractions", "badge": "silver", "sessions": [{"date": "2026-11-18", "stage": "guided", "trials": 10, "correct": 8}]}],
            "work": [{"id": "w1", "skill": "fractions", "due": "2026-11-19", "checklist": {"done": 2, "total": 5, "steps": ["a", "b"]}}, {"id": "w2"}]},
           {"id": "s-2", "skills": [{"id": "fractions"}]}
         ]}
        """

    /// What a rule sees of section 5's fields, as text: per student, then per class.
    static let reader = """
        local function describe(student, catalog)
          local parts = { student.id, table.concat(student.flags, "+") }
          for _, skill in ipairs(student.skills) do parts[#parts + 1] = skill.id .. ":" .. tostring(skill.badge) end
          for _, item in ipairs(student.work) do
            local c = item.checklist
            parts[#parts + 1] = tostring(item.id) .. ":" .. (c and (c.done .. "/" .. c.total .. ":" .. tostring(c.steps and c.steps[2])) or "none")
          end
          for _, item in ipairs(catalog) do parts[#parts + 1] = item.id .. ":" .. item.kind .. ":" .. tostring(item.minutes) end
          return table.concat(parts, " ")
        end
        return {
          id = "reader",
          evaluate = function(student, ctx)
            return { { kind = "seen", action = "student", reason = describe(student, ctx.catalog) } }
          end,
          evaluate_class = function(class, ctx)
            for _, student in ipairs(class.students) do
              ctx.emit({ kind = "seen", action = "class", student = student.id, reason = describe(student, ctx.catalog) })
            end
          end,
        }
        """

    static let expectedViews = [
        "s-1 no_badges fractions:silver w1:2/5:b w2:none frac-mini:mini_lesson:7.5",
        "s-2  fractions:nil frac-mini:mini_lesson:7.5",
    ]

    @Test func checklistsBadgesAndMinutesReachStudentAndClassRules() throws {
        let report = try engine([Self.reader]).evaluate(try roster(Self.document))
        #expect(report.results.map { $0.recommendations.map(\.reason) } == Self.expectedViews.map { [$0] })
        #expect(report.classResult?.recommendations.map(\.reason) == Self.expectedViews)
    }

    /// A streamed class keeps its students in a temporary file (`StudentImage`) and builds them
    /// again for the class-level rules: the fields must survive the trip.
    @Test func checklistsAndBadgesSurviveAStreamedClass() throws {
        let document = try roster(Self.document)
        let students = document.entries.compactMap { entry -> Student? in
            if case .student(let student) = entry { student } else { nil }
        }
        let text = students.map(DocumentJSON.student).joined(separator: "\n")
        let classSeen = Collected()
        let studentSeen = Collected()
        _ = try withTemporaryInput(text) { descriptor in
            try engine([Self.reader]).evaluate(
                NDJSONInput(descriptor: descriptor, sourceName: "class.ndjson"), context: document.context,
                deliver: { outcome in
                    if case .evaluated(let result) = outcome { studentSeen.append(contentsOf: result.recommendations.map(\.reason)) }
                },
                deliverClass: { classSeen.append($0.reason) })
        }
        #expect(studentSeen.all == Self.expectedViews)
        #expect(classSeen.all == Self.expectedViews)
    }

    @Test func aDocumentWrittenBackKeepsTheFields() throws {
        let document = try roster(Self.document)
        let students = document.entries.compactMap { entry -> Student? in
            if case .student(let student) = entry { student } else { nil }
        }
        let written = DocumentJSON.document(ClassDocument(context: document.context, students: students))
        let again = try roster(written)
        #expect(again.context.catalog == document.context.catalog)
        #expect(again.entries == document.entries)
        #expect(written.contains(#""checklist":{"done":2,"steps":["a","b"],"total":5}"#) || written.contains(#""checklist": {"done": 2"#), "\(written)")
    }

    // MARK: trellis.mastery_probability

    /// Each skill's sessions through `trellis.mastery_probability`, with the parameters in the
    /// skill's `bkt` field; the value printed to 17 significant digits.
    static let probabilityRule = """
        return {
          id = "bkt",
          evaluate = function(student, ctx)
            local out = {}
            for _, skill in ipairs(student.skills) do
              local p = trellis.mastery_probability(skill.sessions, skill.bkt)
              out[#out + 1] = { skill = skill.id, kind = "bkt", action = "estimate", reason = string.format("%.17g", p) }
            end
            return out
          end,
        }
        """

    /// The expected values are exact rational arithmetic on the issue's formula, independent of
    /// the Lua (which works in logarithms), printed as floats by this Python:
    ///
    ///     from fractions import Fraction as F
    ///     def bkt(sessions, prior=F(1,10), learn=F(1,10), guess=F(2,10), slip=F(1,10)):
    ///         p = prior
    ///         for n, c in sessions:
    ///             a = p * (1-slip)**c * slip**(n-c); b = (1-p) * guess**c * (1-guess)**(n-c)
    ///             post = a / (a + b)
    ///             p = post + (1-post) * learn
    ///         return p
    ///     float(bkt([(5,2)]))                     # 0.10393777345649004
    ///     float(bkt([(5,2), (5,4)]))              # 0.8704214646084627 (the worked example of docs/rule-api.md)
    ///     float(bkt([(5,3), (5,4), (5,5)]))       # 0.9999703526553236
    ///     float(bkt([(10,3), (10,4)]))            # 0.10015640679604836
    ///     float(bkt([(1,1), (1,0), (1,1)]))       # 0.5304347826086957
    ///     float(bkt([(4,2), (6,5)], F(3,10), F(5,100), F(25,100), F(15,100)))   # 0.961598274559817
    ///     float(bkt([(0,0)]))                     # 0.19: a session without trials only learns
    ///     float(bkt([(1000,990)]))                # 1.0 (the direct formula underflows in floats)
    struct Trials {
        var trials: Int?
        var correct: Int?
        init(_ trials: Int?, _ correct: Int?) {
            self.trials = trials
            self.correct = correct
        }
    }

    struct ProbabilityCase {
        var sessions: [Trials]
        var params: String? = nil
        var expected: Double
    }

    /// One session of 5 trials, all wrong (`correct` missing), worked out here in Swift doubles.
    static let fiveWrong: Double = {
        let learned = 0.1 * pow(0.1, 5.0)
        let posterior = learned / (learned + 0.9 * pow(0.8, 5.0))
        return posterior + (1 - posterior) * 0.1
    }()

    static let probabilityCases: [ProbabilityCase] = [
        ProbabilityCase(sessions: [], expected: 0.1),
        ProbabilityCase(sessions: [Trials(5, 2)], expected: 0.10393777345649004),
        ProbabilityCase(sessions: [Trials(5, 2), Trials(5, 4)], expected: 0.8704214646084627),
        ProbabilityCase(sessions: [Trials(5, 3), Trials(5, 4), Trials(5, 5)], expected: 0.9999703526553236),
        ProbabilityCase(sessions: [Trials(10, 3), Trials(10, 4)], expected: 0.10015640679604836),
        ProbabilityCase(sessions: [Trials(1, 1), Trials(1, 0), Trials(1, 1)], expected: 0.5304347826086957),
        ProbabilityCase(
            sessions: [Trials(4, 2), Trials(6, 5)], params: #"{"prior": 0.3, "learn": 0.05, "guess": 0.25, "slip": 0.15}"#, expected: 0.961598274559817),
        ProbabilityCase(sessions: [Trials(0, 0)], expected: 0.19),
        ProbabilityCase(sessions: [Trials(nil, nil)], expected: 0.19),
        ProbabilityCase(sessions: [Trials(5, nil)], expected: fiveWrong),
        ProbabilityCase(sessions: [Trials(1000, 990)], expected: 1.0),
        ProbabilityCase(sessions: [Trials(1000, 10)], expected: 0.1),
        // Only a prior of 0 stays at 0 without learning; a prior of 1 stays at 1.
        ProbabilityCase(sessions: [Trials(5, 5)], params: #"{"prior": 0, "learn": 0}"#, expected: 0),
        ProbabilityCase(sessions: [Trials(5, 0)], params: #"{"prior": 1}"#, expected: 1),
        // Guessing impossible: one correct answer shows it learned. Slipping impossible: one wrong
        // answer shows it not learned (then learning applies).
        ProbabilityCase(sessions: [Trials(3, 1)], params: #"{"guess": 0}"#, expected: 1),
        ProbabilityCase(sessions: [Trials(3, 2)], params: #"{"slip": 0}"#, expected: 0.1),
        // Both impossible and both kinds of answer: the session teaches nothing, and learning applies.
        ProbabilityCase(sessions: [Trials(4, 2)], params: #"{"guess": 0, "slip": 0}"#, expected: 0.19),
    ]

    @Test func masteryProbabilityAgreesWithExactArithmetic() throws {
        var skills: [String] = []
        for (index, entry) in Self.probabilityCases.enumerated() {
            let sessions = entry.sessions.enumerated().map { number, session in
                var fields = [#""date": "2026-11-\#(String(format: "%02d", number + 1))""#]
                if let trials = session.trials { fields.append(#""trials": \#(trials)"#) }
                if let correct = session.correct { fields.append(#""correct": \#(correct)"#) }
                return "{" + fields.joined(separator: ", ") + "}"
            }
            let params = entry.params.map { #", "bkt": \#($0)"# } ?? ""
            skills.append(#"{"id": "k\#(index)", "sessions": [\#(sessions.joined(separator: ", "))]\#(params)}"#)
        }
        let text = #"{"students": [{"id": "s", "skills": [\#(skills.joined(separator: ", "))]}]}"#
        let result = try #require(try engine([Self.probabilityRule]).evaluate(try roster(text)).results.first)
        #expect(result.errors.isEmpty, "\(result.errors)")
        try #require(result.recommendations.count == Self.probabilityCases.count)
        for (recommendation, entry) in zip(result.recommendations, Self.probabilityCases) {
            let value = try #require(Double(recommendation.reason))
            #expect(abs(value - entry.expected) <= 1e-12, "\(recommendation.skill ?? ""): \(value), expected \(entry.expected)")
        }
    }

    @Test(arguments: [
        ("trellis.mastery_probability({}, { guess = 2 })", "trellis.mastery_probability: params.guess must be a number from 0 to 1, got 2"),
        ("trellis.mastery_probability({}, { slip = -0.1 })", "trellis.mastery_probability: params.slip must be a number from 0 to 1, got -0.1"),
        ("trellis.mastery_probability({}, { prior = 0/0 })", "trellis.mastery_probability: params.prior must be a number from 0 to 1, got"),
        ("trellis.mastery_probability({}, { learn = \"a lot\" })", "trellis.mastery_probability: params.learn must be a number from 0 to 1, got a lot"),
        ("trellis.mastery_probability(nil)", "trellis.mastery_probability: sessions must be a list of sessions, got nil"),
        ("trellis.mastery_probability({}, 0.1)", "trellis.mastery_probability: params must be a table or nil, got number"),
        ("trellis.round(\"1\")", "trellis.round: expected a number, got string"),
        ("trellis.round(1, 1.5)", "trellis.round: places must be a whole number from 0 to 15, got 1.5"),
    ])
    func badArgumentsNameTheRulesLine(call: String, message: String) throws {
        // Not a tail call: `return f()` would leave no frame of the rule's to name.
        let source = "return { id = \"bad\", evaluate = function(student, ctx)\n  local value = " + call + "\n  return value\nend }"
        let result = try #require(try engine([source]).evaluate(try roster(#"{"students": [{"id": "s"}]}"#)).results.first)
        let error = try #require(result.errors.first)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.location == "rules/r1.lua:2")
    }

    @Test func roundRoundsTheBinaryValueHalfToEven() throws {
        let source = """
            return { id = "round", evaluate = function()
              local values = { trellis.round(0.125, 2), trellis.round(0.675, 2), trellis.round(2.675, 2), trellis.round(1 / 3, 2),
                trellis.round(2 / 3, 2), trellis.round(2.5), trellis.round(3.5), trellis.round(-1.25, 1), trellis.round(7, 2),
                trellis.round(1 / 0, 2) }
              local parts = {}
              for i, v in ipairs(values) do parts[i] = string.format("%.17g", v) end
              return { { kind = "round", action = "show", reason = table.concat(parts, " ") } }
            end }
            """
        let result = try #require(try engine([source]).evaluate(try roster(#"{"students": [{"id": "s"}]}"#)).results.first)
        // Python: [round(x, 2) for x in (0.125, 0.675, 2.675, 1/3, 2/3)], round(2.5), round(3.5), round(-1.25, 1)
        #expect(result.recommendations.first?.reason == "0.12 0.68000000000000005 2.6699999999999999 0.33000000000000002 0.67000000000000004 2 4 -1.2 7 inf")
    }

    /// prompt-fading and scaffold-stage show the estimate beside their decision, rounded to 2
    /// decimals; the decisions are those of the contract's criteria alone.
    @Test func theBundledLadderRulesShowTheEstimateWithoutDecidingOnIt() throws {
        // Python, as above: round(float(bkt([(5,2), (5,4)])), 2) = 0.87; bkt([(10,3), (10,4)]) = 0.10;
        // round(float(bkt([(10,9), (10,9), (10,9)])), 2) = 1.0
        let text = """
            {"trellis": 1, "as_of": "2026-11-20", "students": [{"id": "s", "skills": [
              {"id": "a", "sessions": [{"date": "2026-11-02", "prompt_level": "verbal", "trials": 5, "correct": 2},
                                       {"date": "2026-11-03", "prompt_level": "verbal", "trials": 5, "correct": 4}]},
              {"id": "b", "sessions": [{"date": "2026-11-02", "stage": "guided", "trials": 10, "correct": 3},
                                       {"date": "2026-11-03", "stage": "guided", "trials": 10, "correct": 4}]},
              {"id": "c", "sessions": [{"date": "2026-11-02", "prompt_level": "gestural", "trials": 10, "correct": 9},
                                       {"date": "2026-11-03", "prompt_level": "gestural", "trials": 10, "correct": 9},
                                       {"date": "2026-11-04", "prompt_level": "gestural", "trials": 10, "correct": 9}]}]}]}
            """
        let rules = try RulePack(directories: [Self.rulesFolder])
        var chosen = rules
        chosen.sources = rules.sources.filter { $0.path.hasSuffix("/prompt-fading.lua") || $0.path.hasSuffix("/scaffold-stage.lua") }
        let engine = try Engine(rulePack: chosen)
        let explanation = try #require(engine.explain(student: "s", in: try roster(text)))
        let decisions = explanation.rules.flatMap(\.recommendations).map(\.recommendation)
        func decision(_ skill: String, _ kind: String) -> Recommendation? { decisions.first { $0.skill == skill && $0.kind == kind } }
        func probability(_ recommendation: Recommendation?) -> Double? {
            guard case .object(let evidence)? = recommendation?.evidence else { return nil }
            return evidence["mastery_probability"]?.doubleValue
        }
        #expect(decision("a", "prompt")?.action == "hold")
        #expect(probability(decision("a", "prompt")) == 0.87)
        #expect(decision("b", "scaffold")?.action == "step_back")
        #expect(probability(decision("b", "scaffold")) == 0.1)
        #expect(decision("c", "prompt")?.action == "fade")
        #expect(probability(decision("c", "prompt")) == 1)
    }

    // MARK: reads_results

    static let stepBack = """
        return { id = "steps", priority = 50, evaluate = function(student)
          local out = {}
          for _, skill in ipairs(student.skills) do
            out[#out + 1] = { skill = skill.id, kind = "prompt", action = "step_back", from = "verbal", to = "gestural", reason = "low" }
          end
          out[#out + 1] = { kind = "whole", action = "note", reason = "about the student" }
          return out
        end }
        """

    static let holdB = """
        return { id = "holds", priority = 60, evaluate = function()
          return { { skill = "b", kind = "prompt", action = "hold", from = "verbal", reason = "held back" } }
        end }
        """

    /// Lists what it was given, and claims the prompt decision of skill `a` at a low priority.
    static let reader2 = """
        return { id = "reader", priority = 10, reads_results = true, evaluate = function(student, ctx, results)
          local seen = {}
          for _, r in ipairs(results) do
            seen[#seen + 1] = table.concat({ tostring(r.skill), r.kind, r.action, r.rule, tostring(r.from), tostring(r.to), r.reason, r.priority }, "/")
          end
          return {
            { kind = "seen", action = "list", reason = student.id .. ": " .. table.concat(seen, "; ") },
            { skill = "a", kind = "prompt", action = "hold", from = "verbal", reason = "the reader's own" },
          }
        end }
        """

    @Test(arguments: [Engine.Isolation.sandboxed, .unsandboxed])
    func aRuleThatReadsResultsSeesTheWinnersInOutputOrder(isolation: Engine.Isolation) throws {
        let engine = try engine([Self.reader2, Self.stepBack, Self.holdB], isolation: isolation)
        #expect(engine.rules.map(\.readsResults) == [true, false, false])
        let text = #"{"students": [{"id": "s1", "skills": [{"id": "a"}, {"id": "b"}]}, {"id": "s2", "skills": [{"id": "b"}]}]}"#
        let report = engine.evaluate(try roster(text))
        #expect(report.issues.isEmpty, "\(report.issues)")
        let seen = report.results.map { $0.recommendations.first { $0.kind == "seen" }?.reason }
        #expect(
            seen == [
                "s1: a/prompt/step_back/steps/verbal/gestural/low/50.0; b/prompt/hold/holds/verbal/nil/held back/60.0; nil/whole/note/steps/nil/nil/about the student/50.0",
                "s2: b/prompt/hold/holds/verbal/nil/held back/60.0; nil/whole/note/steps/nil/nil/about the student/50.0",
            ])
        // Its own recommendations are resolved with the others': priority 10 loses skill a's prompt slot.
        let first = try #require(report.results.first)
        #expect(first.recommendations.first { $0.skill == "a" && $0.kind == "prompt" }?.rule == "steps")
        #expect(first.overridden.contains { $0.recommendation.rule == "reader" && $0.overriddenBy == "steps" })
        // The same run again, with the rule's evaluate reused from the first student: no stale results.
        #expect(engine.evaluate(try roster(text)).results.map { $0.recommendations.first { $0.kind == "seen" }?.reason } == seen)
    }

    @Test func aReadsResultsRuleThatFailsLeavesTheOthersStanding() throws {
        let failing = #"return { id = "broken", reads_results = true, evaluate = function(student, ctx, results) return results[1].nothing.here end }"#
        let report = try engine([failing, Self.stepBack]).evaluate(try roster(#"{"students": [{"id": "s1", "skills": [{"id": "a"}]}]}"#))
        let result = try #require(report.results.first)
        #expect(result.recommendations.map(\.rule) == ["steps", "steps"])
        #expect(result.errors.map(\.rule) == ["broken"])
        #expect(result.errors.first?.location == "rules/r1.lua:1")
    }

    @Test func readsResultsMustBeABoolean() throws {
        let source = "return {\n  id = \"r\",\n  reads_results = \"yes\",\n  evaluate = function() end,\n}"
        let error = #expect(throws: TrellisError.self) { try engine([source]) }
        #expect(error?.issues.map(\.message) == ["reads_results must be true or false, got a string"])
        #expect(error?.issues.first?.location == "rules/r1.lua:3")
    }

    /// The bundled mini-lesson assigns a lesson for the *winning* step back only: a school's rule
    /// that holds the skill at a higher priority leaves nothing to assign.
    @Test func aMiniLessonFollowsTheWinningDecision() throws {
        let text = """
            {"trellis": 1, "as_of": "2026-11-20",
             "catalog": [{"id": "hw-mini", "title": "Washing hands", "kind": "mini_lesson", "modality": "video", "skills": ["hand-washing"], "minutes": 6}],
             "students": [{"id": "s1", "skills": [{"id": "hand-washing", "sessions": [
               {"date": "2026-11-17", "prompt_level": "gestural", "trials": 10, "correct": 3},
               {"date": "2026-11-18", "prompt_level": "gestural", "trials": 10, "correct": 4}]}]}]}
            """
        let bundled = try RulePack(directories: [Self.rulesFolder])
        var chosen = bundled
        chosen.sources = bundled.sources.filter { $0.path.hasSuffix("/prompt-fading.lua") || $0.path.hasSuffix("/mini-lesson.lua") }
        let assigned = try Engine(rulePack: chosen).evaluate(try roster(text)).results.first
        #expect(assigned?.recommendations.first { $0.kind == "mini_lesson" }?.options?.map(\.id) == ["hw-mini"])

        let school = RuleSource(
            path: "school/hold-hand-washing.lua",
            source: """
                return { id = "hold-hand-washing", priority = 70, evaluate = function()
                  return { { skill = "hand-washing", kind = "prompt", action = "hold", from = "gestural", reason = "the team keeps it" } }
                end }
                """)
        chosen.sources.append(school)
        let held = try Engine(rulePack: chosen).evaluate(try roster(text)).results.first
        #expect(held?.recommendations.first { $0.kind == "prompt" }?.rule == "hold-hand-washing")
        #expect(held?.recommendations.contains { $0.kind == "mini_lesson" } == false)
        #expect(held?.notes.isEmpty == true)
    }
}

/// Values handed over from the engine's threads.
private final class Collected: @unchecked Sendable {
    private var values: [String] = []
    private let lock = NSLock()

    func append(_ value: String) {
        lock.withLock { values.append(value) }
    }

    func append(contentsOf more: [String]) {
        lock.withLock { values += more }
    }

    var all: [String] { lock.withLock { values } }
}
