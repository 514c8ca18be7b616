import Foundation
import Testing
@testable import Trellis

// MARK: - Helpers

/// An engine over rules given as `(file name without .lua, source)`; each is `rules/<name>.lua`.
private func engine(
    _ rules: [(name: String, source: String)], parameters: [String: [String: JSONValue]] = [:], limits: RuleLimits = RuleLimits()
) throws -> Engine {
    try Engine(
        rulePack: RulePack(sources: rules.map { RuleSource(path: "rules/\($0.name).lua", source: $0.source) }), parameters: parameters, limits: limits)
}

private let context = ClassContext(asOf: "2026-11-20")

/// A JSON value written as JSON text (the scanner itself is tested in JSONScannerTests).
private func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue? {
    let value = JSONValue(parsing: text)
    #expect(value != nil, "not JSON: \(text)", sourceLocation: sourceLocation)
    return value
}

/// Three students; rule failures are staged for `s-2`.
private let threeStudents = ClassDocument(
    context: context,
    students: [Student(id: "s-1"), Student(id: "s-2", name: "Target"), Student(id: "s-3")])

/// A rule that recommends for every student: the other rule whose results must survive a failure.
private let goodRule = (
    name: "good",
    source: """
        return {
          id = "good",
          evaluate = function(student, ctx)
            return { { skill = "k", kind = "prompt", action = "hold", from = "gestural", reason = "good for " .. student.id } }
          end,
        }
        """
)

private func goodRecommendation(_ student: String) -> Recommendation {
    Recommendation(skill: "k", kind: "prompt", action: "hold", from: "gestural", rule: "good", priority: 0, reason: "good for \(student)")
}

/// The line of a `badRule` body's first line.
private let bodyLine = 7

/// A rule that behaves for every student but `s-2`, for whom it runs `body` (starting at line 7).
private func badRule(_ body: String) -> (name: String, source: String) {
    let source = """
        return {
          id = "bad",
          evaluate = function(student, ctx)
            if student.id ~= "s-2" then
              return { { skill = "k", kind = "check", action = "ok", reason = "bad rule's own result" } }
            end
        \(body)
          end,
        }
        """
    return (name: "bad", source: source)
}

private func badRecommendation() -> Recommendation {
    Recommendation(skill: "k", kind: "check", action: "ok", rule: "bad", priority: 0, reason: "bad rule's own result")
}

private func result(_ report: EvaluationReport, _ student: String) -> StudentResult? {
    report.results.first { $0.student == student }
}

/// The one recommendation of a one-rule run for one student.
private func only(_ result: StudentResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> Recommendation {
    #expect(result.errors == [], sourceLocation: sourceLocation)
    #expect(result.recommendations.count == 1, sourceLocation: sourceLocation)
    return try #require(result.recommendations.first, sourceLocation: sourceLocation)
}

/// Checks that `s-1` and `s-3` have both rules' results, and that `s-2` has the good rule's
/// result and exactly the one error returned.
private func checkOnlyTargetFailed(_ report: EvaluationReport, sourceLocation: SourceLocation = #_sourceLocation) throws -> TrellisIssue {
    #expect(report.outcomes.count == 3, sourceLocation: sourceLocation)
    for id in ["s-1", "s-3"] {
        let other = try #require(result(report, id), sourceLocation: sourceLocation)
        #expect(other.errors == [], "\(id)", sourceLocation: sourceLocation)
        #expect(other.recommendations == [goodRecommendation(id), badRecommendation()], "\(id)", sourceLocation: sourceLocation)
    }
    let target = try #require(result(report, "s-2"), sourceLocation: sourceLocation)
    #expect(target.recommendations == [goodRecommendation("s-2")], sourceLocation: sourceLocation)
    #expect(target.errors.count == 1, "\(target.errors)", sourceLocation: sourceLocation)
    #expect(report.summary.failed == 1, sourceLocation: sourceLocation)
    #expect(report.summary.errors == 1, sourceLocation: sourceLocation)
    #expect(report.summary.recommendations == 5, sourceLocation: sourceLocation)
    return try #require(target.errors.first, sourceLocation: sourceLocation)
}

// MARK: - Failure cases

/// A rule body that fails for `s-2`, with the issue it must produce.
struct RuleFailure: Sendable, CustomTestStringConvertible {
    var name: String
    var body: String
    var kind: TrellisIssue.Kind
    var message: String
    /// The line of the location, relative to the body's first line (0 = first); nil when the
    /// location is the rule file alone (an output problem has no line).
    var line: Int?
    var testDescription: String { name }
}

private let promptLadder = "full_physical, partial_physical, model, gestural, verbal, independent"
private let selfNested = "evidence" + String(repeating: ".self", count: 32)

private let ruleFailures: [RuleFailure] = [
    // Errors raised in the rule
    RuleFailure(name: "error(\"boom\")", body: #"    error("boom")"#, kind: .ruleError, message: "boom", line: 0),
    RuleFailure(name: "error on the third line", body: "    local a = 1\n    local b = a + 1\n    error(\"boom at \" .. b)", kind: .ruleError, message: "boom at 2", line: 2),
    RuleFailure(name: "error with level 0", body: #"    error("no position", 0)"#, kind: .ruleError, message: "no position", line: 0),
    RuleFailure(
        name: "indexing nil", body: "    local x = student.missing.field", kind: .ruleError, message: "attempt to index a nil value (field 'missing')", line: 0),
    RuleFailure(
        name: "calling nil", body: "    local x = student.nothing()", kind: .ruleError, message: "attempt to call a nil value (field 'nothing')", line: 0),
    RuleFailure(name: "arithmetic on a string", body: "    local x = student.name + 1", kind: .ruleError, message: "attempt to add a 'string' with a 'number'", line: 0),
    RuleFailure(
        name: "arithmetic on nil", body: "    local x = student.age + 1", kind: .ruleError, message: "attempt to perform arithmetic on a nil value (field 'age')",
        line: 0),
    RuleFailure(name: "error with a table", body: "    error({ code = 42 })", kind: .ruleError, message: "error raised with a table value", line: 0),
    RuleFailure(name: "error with nil", body: "    error(nil)", kind: .ruleError, message: "error raised with a nil value", line: 0),
    RuleFailure(name: "error with a boolean", body: "    error(false)", kind: .ruleError, message: "error raised with a boolean value", line: 0),
    RuleFailure(name: "error with a number", body: "    error(42)", kind: .ruleError, message: "42", line: 0),
    RuleFailure(
        name: "error with a table whose __tostring errors",
        body: #"    error(setmetatable({}, { __tostring = function() error("nope") end }))"#, kind: .ruleError,
        message: "error value is a table whose __tostring failed", line: 0),
    RuleFailure(
        name: "error with a table whose __tostring returns a table",
        body: "    error(setmetatable({}, { __tostring = function() return {} end }))", kind: .ruleError,
        message: "error value is a table whose __tostring failed", line: 0),
    RuleFailure(
        name: "error with a table whose __tostring works",
        body: #"    error(setmetatable({}, { __tostring = function() return "custom failure" end }))"#, kind: .ruleError, message: "custom failure",
        line: 0),
    RuleFailure(
        name: "error in a helper function", body: "    local function helper()\n      error(\"deep\")\n    end\n    helper()", kind: .ruleError, message: "deep",
        line: 1),
    RuleFailure(
        name: "a bad argument to a library function", body: "    local x = string.rep()", kind: .ruleError,
        message: "bad argument #1 to 'rep' (string expected, got no value)", line: 0),
    RuleFailure(
        name: "writing to string.upper", body: #"    string.upper = function() return "hacked" end"#, kind: .ruleError,
        message: "string is read-only: cannot set string.upper", line: 0),
    RuleFailure(name: "writing to trellis.ladder", body: "    trellis.ladder = {}", kind: .ruleError, message: "trellis is read-only: cannot set trellis.ladder", line: 0),
    RuleFailure(
        name: "writing into trellis.ladder", body: "    trellis.ladder.next = function() return \"independent\" end", kind: .ruleError,
        message: "trellis.ladder is read-only: cannot set trellis.ladder.next", line: 0),
    // Output that breaks the rule API
    RuleFailure(
        name: "evaluate returns a string", body: #"    return "oops""#, kind: .invalidRecommendation,
        message: "evaluate must return a list of recommendations, not a string"),
    RuleFailure(
        name: "evaluate returns a number", body: "    return 3", kind: .invalidRecommendation, message: "evaluate must return a list of recommendations, not a number"),
    RuleFailure(
        name: "a single recommendation instead of a list", body: #"    return { skill = "k", kind = "prompt", action = "hold", reason = "r" }"#,
        kind: .invalidRecommendation, message: "evaluate returned a single recommendation; return a list of them: { recommendation }"),
    RuleFailure(
        name: "an item that is not a table", body: #"    return { "fade" }"#, kind: .invalidRecommendation,
        message: "item 1 of the returned list must be a table, not a string"),
    RuleFailure(
        name: "missing reason", body: #"    return { { skill = "k", kind = "prompt", action = "hold", from = "gestural" } }"#, kind: .invalidRecommendation,
        message: "recommendation 1: reason is required: say why, in words a teacher reads"),
    RuleFailure(
        name: "empty reason", body: #"    return { { skill = "k", kind = "prompt", action = "hold", reason = "" } }"#, kind: .invalidRecommendation,
        message: "recommendation 1: reason is required: say why, in words a teacher reads"),
    RuleFailure(
        name: "missing kind", body: #"    return { { skill = "k", action = "hold", reason = "r" } }"#, kind: .invalidRecommendation,
        message: #"recommendation 1: kind is required (a string such as "prompt")"#),
    RuleFailure(
        name: "missing action", body: #"    return { { skill = "k", kind = "prompt", reason = "r" } }"#, kind: .invalidRecommendation,
        message: #"recommendation 1: action is required (a string such as "fade")"#),
    RuleFailure(
        name: "kind is a number", body: #"    return { { kind = 5, action = "hold", reason = "r" } }"#, kind: .invalidRecommendation,
        message: "item 1: kind must be a string, not a number"),
    RuleFailure(
        name: "the second item is broken", body: #"    return { { kind = "c", action = "a", reason = "r" }, { kind = "c", action = "a" } }"#,
        kind: .invalidRecommendation, message: "recommendation 2: reason is required: say why, in words a teacher reads"),
    RuleFailure(
        name: "a prompt action \"jump\"", body: #"    return { { skill = "k", kind = "prompt", action = "jump", from = "gestural", reason = "r" } }"#,
        kind: .invalidRecommendation,
        message: #"recommendation 1: a prompt recommendation's action is one of fade, step_back, hold, mastered, not "jump""#),
    RuleFailure(
        name: "a scaffold action \"fade\"", body: #"    return { { skill = "k", kind = "scaffold", action = "fade", reason = "r" } }"#,
        kind: .invalidRecommendation,
        message: #"recommendation 1: a scaffold recommendation's action is one of advance, step_back, hold, mastered, not "fade""#),
    RuleFailure(
        name: "to is not on the ladder", body: #"    return { { skill = "k", kind = "prompt", action = "fade", from = "gestural", to = "flying", reason = "r" } }"#,
        kind: .invalidRecommendation, message: #"recommendation 1: to "flying" is not on the prompt ladder (\#(promptLadder))"#),
    RuleFailure(
        name: "from is not on the stage ladder", body: #"    return { { skill = "k", kind = "scaffold", action = "advance", from = "gestural", reason = "r" } }"#,
        kind: .invalidRecommendation,
        message: #"recommendation 1: from "gestural" is not on the stage ladder (modeled, guided, collaborative, structured, independent)"#),
    RuleFailure(
        name: "choices without options", body: #"    return { { skill = "k", kind = "choices", action = "offer", reason = "r" } }"#, kind: .invalidRecommendation,
        message: "recommendation 1: a choices recommendation needs options: a list of catalog items"),
    RuleFailure(
        name: "an option without an id", body: #"    return { { skill = "k", kind = "choices", action = "offer", reason = "r", options = { { title = "t" } } } }"#,
        kind: .invalidRecommendation, message: "recommendation 1: options[1] needs an id (a string)"),
    RuleFailure(
        name: "priority is a string", body: #"    return { { kind = "c", action = "a", reason = "r", priority = "high" } }"#, kind: .invalidRecommendation,
        message: "recommendation 1: priority must be a number"),
    RuleFailure(
        name: "evidence containing a function", body: #"    return { { kind = "c", action = "a", reason = "r", evidence = { n = 1, f = function() end } } }"#,
        kind: .invalidRecommendation, message: "recommendation 1: evidence.f: a function has no JSON form"),
    RuleFailure(
        name: "evidence with a function deep in a list",
        body: #"    return { { kind = "c", action = "a", reason = "r", evidence = { sessions = { { n = 1 }, { n = 2, f = function() end } } } } }"#,
        kind: .invalidRecommendation, message: "recommendation 1: evidence.sessions[2].f: a function has no JSON form"),
    RuleFailure(
        name: "evidence referring to itself", body: "    local t = { n = 1 }\n    t.self = t\n    return { { kind = \"c\", action = \"a\", reason = \"r\", evidence = t } }",
        kind: .invalidRecommendation, message: "recommendation 1: \(selfNested): nested more than 32 levels deep (a table that contains itself?)"),
    RuleFailure(
        name: "evidence mixing list and keys", body: #"    return { { kind = "c", action = "a", reason = "r", evidence = { 1, 2, x = 3 } } }"#,
        kind: .invalidRecommendation, message: "recommendation 1: evidence: a table must be either a list or have only string keys"),
    RuleFailure(
        name: "evidence with an infinite number", body: #"    return { { kind = "c", action = "a", reason = "r", evidence = { x = math.huge } } }"#,
        kind: .invalidRecommendation, message: "recommendation 1: evidence.x: inf is not a finite number"),
    RuleFailure(
        name: "an extra field holding a function", body: #"    return { { kind = "c", action = "a", reason = "r", extra_thing = function() end } }"#,
        kind: .invalidRecommendation, message: "recommendation 1: extra_thing: a function has no JSON form"),
]

// MARK: - Tests

@Suite("Lua bridge")
struct LuaBridgeTests {
    // MARK: Input reaches Lua

    static let echoRule = """
        local function kind(v)
          if v == nil then return "nil" end
          return math.type(v) or type(v)
        end

        return {
          id = "echo",
          params = { threshold = 80, ratio = 0.5, label = "x", on = true, levels = { "a", "b" } },
          evaluate = function(student, ctx)
            local skill = student.skills[1] or {}
            local session = (skill.sessions or {})[1] or {}
            local work = student.work[1] or {}
            local sa = student.self_assessments[1] or {}
            return { {
              kind = "echo", action = "report", reason = "echo of " .. student.id,
              evidence = {
                student = { id = student.id, name = student.name, flags = student.flags, modalities = student.preferences.modalities,
                            time = student.preferences.time, guardian = student.guardian },
                skill = { id = skill.id, domain = skill.domain, prompt_level = skill.prompt_level, stage = skill.stage, goal = skill.goal },
                session = { date = session.date, prompt_level = session.prompt_level, stage = session.stage, trials = session.trials,
                            correct = session.correct, independent = session.independent, setting = session.setting,
                            staff = session.staff, mood = session.mood, ratio = session.ratio },
                work = { id = work.id, skill = work.skill, status = work.status, score = work.score, due = work.due,
                         modality = work.modality, attempts = work.attempts },
                assessment = { date = sa.date, skill = sa.skill, rating = sa.rating, comment = sa.comment },
              },
              types = { name = kind(student.name), trials = kind(session.trials), correct = kind(session.correct),
                        independent = kind(session.independent), score = kind(work.score), mood = kind(session.mood),
                        ratio = kind(session.ratio), flags = kind(student.flags), skills = kind(student.skills),
                        work = kind(student.work), self_assessments = kind(student.self_assessments),
                        preferences = kind(student.preferences), modalities = kind(student.preferences.modalities),
                        guardian = kind(student.guardian) },
              counts = { flags = #student.flags, modalities = #student.preferences.modalities, skills = #student.skills,
                         work = #student.work, self_assessments = #student.self_assessments },
              ctx = { as_of = ctx.as_of, prompt = ctx.ladders.prompt, stage = ctx.ladders.stage, reading = ctx.ladders.reading,
                      catalog = ctx.catalog, class = ctx.class, params = ctx.params, rule = ctx.rule.id,
                      class_type = kind(ctx.class), threshold_type = kind(ctx.params.threshold), ratio_type = kind(ctx.params.ratio) },
            } }
          end,
        }
        """

    static let fullStudent = Student(
        id: "s-1", name: "Maya", flags: ["iep"], preferredModalities: ["video", "drawing"],
        skills: [
            Skill(
                id: "hand-washing", domain: "adaptive", promptLevel: "gestural", stage: "guided",
                sessions: [
                    Session(
                        date: "2026-11-17", promptLevel: "gestural", stage: "guided", trials: 10, correct: 9, independent: 0, setting: "classroom",
                        staff: "p-lee", extra: ["mood": .integer(3), "ratio": .number(2.0)])
                ], extra: ["goal": .string("by June")])
        ],
        work: [
            WorkItem(
                id: "w-1", skill: "fractions", status: .missing, score: 1.0, due: "2026-11-14", modality: "worksheet",
                extra: ["attempts": .array([.integer(1), .integer(2)])])
        ],
        selfAssessments: [SelfAssessment(date: "2026-11-18", skill: "fractions", rating: .yellow, extra: ["comment": .string("hard")])],
        extra: ["guardian": .object(["lang": .string("es"), "contacts": .array([])])],
        preferenceExtra: ["time": .string("morning")])

    static let fullContext = ClassContext(
        asOf: "2026-11-20", classInfo: ClassInfo(id: "3B", title: "Room 3B", staff: ["t-ortiz", "p-lee"], extra: ["room": .integer(12)]),
        ladders: Ladders(prompt: ["hand", "point", "gestural"], other: ["reading": ["a", "b"]]),
        catalog: [CatalogItem(id: "c-1", title: "Video", kind: "show", modality: "video", skills: ["fractions"], extra: ["minutes": .integer(2)])])

    @Test("every input field reaches Lua with its type: integers, floats, strings, lists, extras")
    func everyFieldReachesLua() throws {
        let echo = try engine([(name: "echo", source: Self.echoRule)])
        let result = echo.evaluate(Self.fullStudent, context: Self.fullContext)
        let recommendation = try only(result)
        #expect(recommendation.rule == "echo")
        #expect(recommendation.reason == "echo of s-1")
        #expect(
            recommendation.evidence == json("""
                {"student": {"id": "s-1", "name": "Maya", "flags": ["iep"], "modalities": ["video", "drawing"], "time": "morning",
                             "guardian": {"lang": "es", "contacts": []}},
                 "skill": {"id": "hand-washing", "domain": "adaptive", "prompt_level": "gestural", "stage": "guided", "goal": "by June"},
                 "session": {"date": "2026-11-17", "prompt_level": "gestural", "stage": "guided", "trials": 10, "correct": 9,
                             "independent": 0, "setting": "classroom", "staff": "p-lee", "mood": 3, "ratio": 2.0},
                 "work": {"id": "w-1", "skill": "fractions", "status": "missing", "score": 1.0, "due": "2026-11-14", "modality": "worksheet",
                          "attempts": [1, 2]},
                 "assessment": {"date": "2026-11-18", "skill": "fractions", "rating": "yellow", "comment": "hard"}}
                """))
        #expect(
            recommendation.extra["types"] == json("""
                {"name": "string", "trials": "integer", "correct": "integer", "independent": "integer", "score": "float", "mood": "integer",
                 "ratio": "float", "flags": "table", "skills": "table", "work": "table", "self_assessments": "table", "preferences": "table",
                 "modalities": "table", "guardian": "table"}
                """))
        #expect(recommendation.extra["counts"] == json(#"{"flags": 1, "modalities": 2, "skills": 1, "work": 1, "self_assessments": 1}"#))
    }

    @Test("absent fields are nil and lists are present and empty")
    func absentFields() throws {
        let echo = try engine([(name: "echo", source: Self.echoRule)])
        let bare = Student(id: "bare", skills: [Skill(id: "k", sessions: [Session(trials: 4)])])
        let recommendation = try only(echo.evaluate(bare, context: context))
        #expect(
            recommendation.extra["types"] == json("""
                {"name": "nil", "trials": "integer", "correct": "nil", "independent": "nil", "score": "nil", "mood": "nil", "ratio": "nil",
                 "flags": "table", "skills": "table", "work": "table", "self_assessments": "table", "preferences": "table", "modalities": "table",
                 "guardian": "nil"}
                """))
        #expect(recommendation.extra["counts"] == json(#"{"flags": 0, "modalities": 0, "skills": 1, "work": 0, "self_assessments": 0}"#))
        // Only what is present comes back: nil fields leave no key.
        guard case .object(let evidence) = recommendation.evidence else {
            Issue.record("evidence is not an object: \(String(describing: recommendation.evidence))")
            return
        }
        #expect(evidence["session"] == json(#"{"trials": 4}"#))
        #expect(evidence["skill"] == json(#"{"id": "k"}"#))
        #expect(evidence["student"] == json(#"{"id": "bare", "flags": [], "modalities": []}"#))
    }

    @Test("ctx: as_of, ladders (with a document's own), catalog, class, params and the rule's id")
    func contextReachesLua() throws {
        let echo = try engine([(name: "echo", source: Self.echoRule)])
        let recommendation = try only(echo.evaluate(Self.fullStudent, context: Self.fullContext))
        #expect(
            recommendation.extra["ctx"] == json("""
                {"as_of": "2026-11-20",
                 "prompt": ["hand", "point", "gestural"],
                 "stage": ["modeled", "guided", "collaborative", "structured", "independent"],
                 "reading": ["a", "b"],
                 "catalog": [{"id": "c-1", "title": "Video", "kind": "show", "modality": "video", "skills": ["fractions"], "minutes": 2}],
                 "class": {"id": "3B", "title": "Room 3B", "staff": ["t-ortiz", "p-lee"], "room": 12},
                 "params": {"threshold": 80, "ratio": 0.5, "label": "x", "on": true, "levels": ["a", "b"]},
                 "rule": "echo",
                 "class_type": "table", "threshold_type": "integer", "ratio_type": "float"}
                """))
        // Without class info, ctx.class is nil; an empty catalog is an empty list.
        let plain = try only(echo.evaluate(Self.fullStudent, context: ClassContext(asOf: "2026-01-02")))
        guard case .object(let ctx) = plain.extra["ctx"] else {
            Issue.record("no ctx")
            return
        }
        #expect(ctx["class_type"] == .string("nil"))
        #expect(ctx["class"] == nil)
        #expect(ctx["catalog"] == .array([]))
        #expect(ctx["as_of"] == .string("2026-01-02"))
        #expect(ctx["prompt"] == .array(Ladders.defaultPrompt.map { .string($0) }))
        #expect(ctx["reading"] == nil)
    }

    @Test("the same fields arrive from a JSON document read by RosterReader")
    func fromDocument() throws {
        let text = """
            {"as_of": "2026-11-20", "class": {"id": "3B"},
             "students": [
               {"id": "s-1", "flags": ["iep"], "guardian": {"lang": "es"},
                "skills": [{"id": "k", "sessions": [{"trials": 10, "correct": 9, "mood": 3, "ratio": 2.0}]}],
                "work": [{"status": "graded", "score": 1}]},
               {"id": "s-2", "skills": "oops"},
               {"id": "s-3"}
             ]}
            """
        let roster = try RosterReader.read(Array(text.utf8), sourceName: "class.json", today: "2026-01-01")
        let report = try engine([(name: "echo", source: Self.echoRule)]).evaluate(roster)
        #expect(report.outcomes.count == 3)
        let first = try only(try #require(result(report, "s-1")))
        guard case .object(let types) = first.extra["types"], case .object(let evidence) = first.evidence else {
            Issue.record("no types")
            return
        }
        #expect(types["trials"] == .string("integer"))
        #expect(types["mood"] == .string("integer"))
        #expect(types["ratio"] == .string("float"))
        #expect(types["score"] == .string("float"))
        #expect(evidence["work"] == json(#"{"status": "graded", "score": 1.0}"#))
        #expect(evidence["student"] == json(#"{"id": "s-1", "flags": ["iep"], "modalities": [], "guardian": {"lang": "es"}}"#))
        guard case .skipped(let id, let issues) = report.outcomes[1] else {
            Issue.record("s-2 was evaluated")
            return
        }
        #expect(id == "s-2")
        #expect(issues.map(\.path) == ["students[1] (s-2).skills"])
        #expect(try only(try #require(result(report, "s-3"))).reason == "echo of s-3")
        #expect(report.summary.students == 3)
        #expect(report.summary.skipped == 1)
        #expect(report.summary.failed == 1)
    }

    @Test("evaluate(ClassDocument) runs every student in order")
    func evaluateDocument() throws {
        let echo = try engine([(name: "echo", source: Self.echoRule)])
        let document = ClassDocument(context: Self.fullContext, students: [Self.fullStudent, Student(id: "s-2"), Student(id: "s-3")])
        let report = echo.evaluate(document)
        #expect(report.asOf == "2026-11-20")
        #expect(report.results.map(\.student) == ["s-1", "s-2", "s-3"])
        #expect(report.results.map { $0.recommendations.map(\.reason) } == [["echo of s-1"], ["echo of s-2"], ["echo of s-3"]])
        #expect(report.summary.recommendations == 3)
        #expect(report.isClean)
        #expect(report.results[0] == echo.evaluate(Self.fullStudent, context: Self.fullContext))
    }

    // MARK: Failures stay with their rule and student

    @Test("a failing rule is reported with its kind, rule, student, message and location; the rest stand", arguments: ruleFailures)
    func ruleFailure(_ failure: RuleFailure) throws {
        let report = try engine([badRule(failure.body), goodRule]).evaluate(threeStudents)
        let issue = try checkOnlyTargetFailed(report)
        #expect(issue.kind == failure.kind)
        #expect(issue.rule == "bad")
        #expect(issue.student == "s-2")
        #expect(issue.message == failure.message)
        #expect(issue.location == (failure.line.map { "rules/bad.lua:\(bodyLine + $0)" } ?? "rules/bad.lua"))
        #expect(issue.path == nil)
    }

    @Test("an infinite loop is stopped by the instruction budget")
    func infiniteLoop() throws {
        let limits = RuleLimits(instructions: 100_000, memoryBytes: 64 << 20)
        let report = try engine([badRule("    while true do end"), goodRule], limits: limits).evaluate(threeStudents)
        let issue = try checkOnlyTargetFailed(report)
        #expect(issue == TrellisIssue(kind: .ruleLimit, student: "s-2", rule: "bad", message: "ran more than 100000 instructions", location: "rules/bad.lua:7"))
    }

    @Test("a class-level infinite loop is stopped by its budget, scaled by the class's size, hook and all")
    func classLevelInfiniteLoop() throws {
        // A budget of a million or more is counted by a hook armed after a grace of 1 ms per
        // student: the loop must still be stopped, by the instructions counted from then.
        let loop = (
            name: "class-loop",
            source: """
                return { id = "class-loop", evaluate = function() return {} end, evaluate_class = function(class)
                  local n = 0
                  while true do n = n + 1 end
                end }
                """
        )
        let limits = RuleLimits(instructions: 1_000_000, memoryBytes: 64 << 20, milliseconds: 60_000)
        let report = try engine([loop, goodRule], limits: limits).evaluate(threeStudents)
        let classResult = try #require(report.classResult)
        #expect(classResult.errors.map(\.message) == ["ran more than 3000000 instructions"])
        #expect(classResult.errors.first?.location == "rules/class-loop.lua:3")
        #expect(report.results.allSatisfy { $0.errors.isEmpty && $0.recommendations.count == 1 })
    }

    @Test("a loop that starts after the watchdog has gone idle is still stopped")
    func loopAfterIdleWatchdog() throws {
        // The watchdog thread sleeps on a condition after 100 ms without a rule call, and only
        // then is woken by the next call: a budget of a million is counted by a hook it arms.
        let limits = RuleLimits(instructions: 1_000_000, memoryBytes: 64 << 20, milliseconds: 60_000)
        let engine = try engine([badRule("    while true do end"), goodRule], limits: limits)
        for _ in 0..<2 {
            Thread.sleep(forTimeInterval: 0.3)
            let issue = try checkOnlyTargetFailed(engine.evaluate(threeStudents))
            #expect(issue.message == "ran more than 1000000 instructions")
        }
    }

    @Test("an infinite loop inside pcall is still stopped, and the rule still fails where it tried to go on")
    func infiniteLoopInPcall() throws {
        let limits = RuleLimits(instructions: 100_000, memoryBytes: 64 << 20)
        let bodies: [(body: String, line: Int)] = [
            // The loop's error is caught; the rule tries to go on and return normally (line 8).
            ("    local ok = pcall(function() while true do end end)\n    return { { kind = \"c\", action = \"a\", reason = \"escaped\" } }", 8),
            // Catching again and again does not help: the for loop itself (line 7) is stopped.
            ("    for i = 1, 1000 do pcall(function() while true do end end) end\n    return { { kind = \"c\", action = \"a\", reason = \"escaped\" } }", 7),
            // Neither does a coroutine: the main thread is stopped at its first instruction after
            // the coroutine hands control back (the return, line 9).
            (
                "    local co = coroutine.wrap(function() while true do end end)\n    pcall(co)\n    return { { kind = \"c\", action = \"a\", reason = \"escaped\" } }",
                9
            ),
        ]
        for (body, line) in bodies {
            let report = try engine([badRule(body), goodRule], limits: limits).evaluate(threeStudents)
            let issue = try checkOnlyTargetFailed(report)
            #expect(issue == TrellisIssue(kind: .ruleLimit, student: "s-2", rule: "bad", message: "ran more than 100000 instructions", location: "rules/bad.lua:\(line)"))
        }
    }

    @Test("memory growth is stopped by the memory cap, reported in MB")
    func memoryCap() throws {
        let limits = RuleLimits(instructions: 0, memoryBytes: 8 << 20)
        let bodies = [
            "    local s = \"x\"\n    while true do s = s .. s end",
            "    local t = {}\n    for i = 1, 100000000 do t[i] = { i } end",
            "    local ok = pcall(function() local s = \"x\" while true do s = s .. s end end)\n    return { { kind = \"c\", action = \"a\", reason = \"survived\" } }",
        ]
        for body in bodies {
            let report = try engine([badRule(body), goodRule], limits: limits).evaluate(threeStudents)
            let issue = try checkOnlyTargetFailed(report)
            #expect(issue.kind == .ruleLimit)
            #expect(issue.rule == "bad")
            #expect(issue.student == "s-2")
            #expect(issue.message.hasPrefix("used more than 8 MB"), "\(issue.message)")
            #expect(issue.location == "rules/bad.lua")
        }
    }

    @Test("the budget is per rule and per student: rules that fit it all run")
    func budgetPerStudent() throws {
        // Each run spends about 30k instructions; 20 students together spend far more than the budget.
        let busy = """
            return {
              id = "busy",
              evaluate = function(student, ctx)
                local n = 0
                for i = 1, 10000 do n = n + i end
                return { { kind = "c", action = "a", reason = tostring(n) } }
              end,
            }
            """
        let students = (1...20).map { Student(id: "s-\($0)") }
        let report = try engine([(name: "busy", source: busy)], limits: RuleLimits(instructions: 100_000, memoryBytes: 8 << 20))
            .evaluate(ClassDocument(context: context, students: students))
        #expect(report.isClean)
        #expect(report.results.allSatisfy { $0.recommendations.map(\.reason) == ["50005000"] })
    }

    // MARK: Isolation and the sandbox

    @Test("globals and module-level locals set for one student are not visible for the next")
    func globalsDoNotLeak() throws {
        let rule = """
            local calls = 0
            return {
              id = "globals",
              evaluate = function(student, ctx)
                calls = calls + 1
                local seen = leaked_id
                leaked_id = student.id
                return { { kind = "probe", action = "report", reason = "r", seen = seen or "none", calls = calls } }
              end,
            }
            """
        let reader = """
            return {
              id = "reader",
              evaluate = function(student, ctx)
                return { { kind = "reader", action = "report", reason = "r", seen = leaked_id or "none" } }
              end,
            }
            """
        let report = try engine([(name: "globals", source: rule), (name: "reader", source: reader)]).evaluate(threeStudents)
        for student in report.results {
            #expect(student.errors == [])
            #expect(student.recommendations.map { $0.extra["seen"] } == [.string("none"), .string("none")], "\(student.student)")
            #expect(student.recommendations.first?.extra["calls"] == .integer(1), "\(student.student)")
        }
    }

    @Test("the student table is read-only: a rule cannot change what the next rule sees")
    func studentIsReadOnly() throws {
        let writer = """
            return {
              id = "a-writer",
              evaluate = function(student, ctx)
                local ok = pcall(function()
                  student.flags = { "hacked" }
                  student.name = "Hacked"
                  student.skills[1] = nil
                end)
                return { { kind = "writer", action = "report", reason = "r", write_succeeded = ok } }
              end,
            }
            """
        let reader = """
            return {
              id = "b-reader",
              evaluate = function(student, ctx)
                return { { kind = "reader", action = "report", reason = "r",
                           flags = #student.flags, name = student.name or "none", skills = #student.skills } }
              end,
            }
            """
        let student = Student(id: "s-1", name: "Maya", skills: [Skill(id: "k")])
        let result = try engine([(name: "a-writer", source: writer), (name: "b-reader", source: reader)]).evaluate(student, context: context)
        #expect(result.errors == [])
        let writerResult = result.recommendations.first { $0.rule == "a-writer" }
        let readerResult = result.recommendations.first { $0.rule == "b-reader" }
        #expect(writerResult?.extra["write_succeeded"] == .bool(false), "a rule wrote into the student table")
        #expect(readerResult?.extra["flags"] == .integer(0))
        #expect(readerResult?.extra["name"] == .string("Maya"))
        #expect(readerResult?.extra["skills"] == .integer(1))
    }

    @Test("a rule cannot change the ladders or catalog another rule sees")
    func sharedContextIsNotWritable() throws {
        let writer = """
            return {
              id = "a-writer",
              evaluate = function(student, ctx)
                pcall(function() ctx.ladders.prompt[1] = "hacked" end)
                pcall(function() ctx.catalog[1] = nil end)
                return nil
              end,
            }
            """
        let reader = """
            return {
              id = "b-reader",
              evaluate = function(student, ctx)
                return { { kind = "reader", action = "report", reason = "r", first = ctx.ladders.prompt[1], catalog = #ctx.catalog } }
              end,
            }
            """
        let context = ClassContext(asOf: "2026-11-20", catalog: [CatalogItem(id: "c-1")])
        let result = try engine([(name: "a-writer", source: writer), (name: "b-reader", source: reader)]).evaluate(Student(id: "s-1"), context: context)
        let recommendation = try only(result)
        #expect(recommendation.extra["first"] == .string("full_physical"))
        #expect(recommendation.extra["catalog"] == .integer(1))
    }

    @Test("state a rule leaves in ctx is not seen for the next student")
    func contextDoesNotLeak() throws {
        let rule = """
            return {
              id = "memo",
              params = { n = 1 },
              evaluate = function(student, ctx)
                pcall(function()
                  local memo = ctx.memo or {}
                  memo[#memo + 1] = student.id
                  ctx.memo = memo
                  ctx.params.n = ctx.params.n + 1
                end)
                local seen = {}
                pcall(function() for _, id in ipairs(ctx.memo or {}) do seen[#seen + 1] = id end end)
                return { { kind = "probe", action = "report", reason = "r", seen = table.concat(seen, ","), n = ctx.params.n } }
              end,
            }
            """
        let report = try engine([(name: "memo", source: rule)]).evaluate(threeStudents)
        for result in report.results {
            let recommendation = try only(result)
            let seen = recommendation.extra["seen"]?.stringValue ?? ""
            #expect(seen == "" || seen == result.student, "\(result.student) saw \(seen)")
            #expect(recommendation.extra["n"] == .integer(1) || recommendation.extra["n"] == .integer(2), "\(result.student): n = \(String(describing: recommendation.extra["n"]))")
        }
        let ns = report.results.compactMap { $0.recommendations.first?.extra["n"] }
        #expect(Set(ns).count == 1, "ctx.params changed from one student to the next: \(ns)")
    }

    @Test("io, os.execute, require, load, dofile, string.dump, (\"\").dump and math.random are unavailable")
    func sandbox() throws {
        let rule = """
            return {
              id = "sandbox",
              evaluate = function(student, ctx)
                local probe = {
                  io = type(io), os = type(os), require = type(require), load = type(load), loadstring = type(loadstring),
                  os_execute = type(os.execute), os_getenv = type(os.getenv), os_exit = type(os.exit), os_remove = type(os.remove),
                  os_time = type(os.time), random = type(math.random), randomseed = type(math.randomseed), coroutine = type(coroutine.wrap),
                  dofile = type(dofile), loadfile = type(loadfile), debug = type(debug), package = type(package),
                  rawset = type(rawset), string_dump = type(string.dump), method_dump = type(("").dump),
                  string_metatable = tostring(getmetatable("")), env_metatable = tostring(getmetatable(_ENV)),
                  collectgarbage = type(collectgarbage),
                  upper = ("abc"):upper(), rep = string.rep("ab", 2), floor = math.floor(2.5), concat = table.concat({ "a", "b" }, "-"),
                  utf8_len = utf8.len("é"), helpers = type(trellis.ladder.next),
                }
                return { { kind = "probe", action = "report", reason = "r", probe = probe } }
              end,
            }
            """
        let recommendation = try only(try engine([(name: "sandbox", source: rule)]).evaluate(Student(id: "s-1"), context: context))
        #expect(
            recommendation.extra["probe"] == json("""
                {"io": "nil", "os": "table", "os_execute": "nil", "os_getenv": "nil", "os_exit": "nil", "os_remove": "nil", "os_time": "function",
                 "random": "nil", "randomseed": "nil", "coroutine": "function", "require": "nil", "load": "nil", "loadstring": "nil", "dofile": "nil", "loadfile": "nil", "debug": "nil",
                 "package": "nil", "rawset": "nil", "string_dump": "nil", "method_dump": "nil", "string_metatable": "false", "env_metatable": "false",
                 "collectgarbage": "nil", "upper": "ABC", "rep": "abab", "floor": 2, "concat": "a-b", "utf8_len": 1, "helpers": "function"}
                """))
    }

    @Test("writes to the shared libraries fail, name the rule's line, and change nothing for the next rule or student")
    func readOnlyLibraries() throws {
        let rule = """
            return {
              id = "vandal",
              evaluate = function(student, ctx)
                local _, upper = pcall(function() string.upper = nil end)
                local _, ladder = pcall(function() trellis.ladder = {} end)
                local _, next_level = pcall(function() trellis.ladder.next = nil end)
                local _, insert = pcall(function() table.insert = nil end)
                local _, meta = pcall(setmetatable, string, {})
                local _, rawsetting = pcall(function() rawset(string, "upper", nil) end)
                local _, string_meta = pcall(function() getmetatable("").__index = {} end)
                return { { kind = "vandal", action = "report", reason = "r", upper = upper, ladder = ladder, next_level = next_level,
                           insert = insert, meta = meta, rawsetting = rawsetting, string_meta = string_meta } }
              end,
            }
            """
        let checker = """
            return {
              id = "checker",
              evaluate = function(student, ctx)
                return { { kind = "checker", action = "report", reason = "r", upper = ("abc"):upper() .. string.upper("d"),
                           next_level = trellis.ladder.next({ "a", "b" }, "a"), insert = type(table.insert) } }
              end,
            }
            """
        let report = try engine([(name: "vandal", source: rule), (name: "checker", source: checker)]).evaluate(threeStudents)
        for result in report.results {
            #expect(result.errors == [])
            let vandal = try #require(result.recommendations.first { $0.rule == "vandal" })
            #expect(vandal.extra["upper"] == .string("rules/vandal.lua:4: string is read-only: cannot set string.upper"))
            #expect(vandal.extra["ladder"] == .string("rules/vandal.lua:5: trellis is read-only: cannot set trellis.ladder"))
            #expect(vandal.extra["next_level"] == .string("rules/vandal.lua:6: trellis.ladder is read-only: cannot set trellis.ladder.next"))
            #expect(vandal.extra["insert"] == .string("rules/vandal.lua:7: table is read-only: cannot set table.insert"))
            #expect(vandal.extra["meta"] == .string("cannot change a protected metatable"))
            #expect(vandal.extra["rawsetting"] == .string("rules/vandal.lua:9: attempt to call a nil value (global 'rawset')"))
            #expect(vandal.extra["string_meta"] == .string("rules/vandal.lua:10: attempt to index a boolean value"))
            let checked = try #require(result.recommendations.first { $0.rule == "checker" })
            #expect(checked.extra["upper"] == .string("ABCD"))
            #expect(checked.extra["next_level"] == .string("b"))
            #expect(checked.extra["insert"] == .string("function"))
        }
    }

    // MARK: Conflicts, notes, workers

    private static func conflicting(_ id: String, priority: Double?, itemPriority: Double? = nil, action: String = "hold") -> (name: String, source: String) {
        let priorityLine = priority.map { "priority = \($0)," } ?? ""
        let itemPriorityField = itemPriority.map { "priority = \($0), " } ?? ""
        return (
            name: id,
            source: """
                return {
                  id = "\(id)",
                  \(priorityLine)
                  evaluate = function(student, ctx)
                    return {
                      { skill = "k", kind = "prompt", action = "\(action)", from = "gestural", \(itemPriorityField)reason = "\(id) says \(action)" },
                      { skill = "k", kind = "\(id)-only", action = "note", reason = "no conflict" },
                    }
                  end,
                }
                """
        )
    }

    @Test("the higher priority wins a conflict; the loser is kept in overridden")
    func higherPriorityWins() throws {
        for order in [["alpha", "beta"], ["beta", "alpha"]] {
            let rules = order.map { $0 == "alpha" ? Self.conflicting("alpha", priority: 10, action: "fade") : Self.conflicting("beta", priority: 20) }
            let result = try engine(rules).evaluate(Student(id: "s-1", skills: [Skill(id: "k")]), context: context)
            #expect(result.errors == [])
            let prompt = result.recommendations.filter { $0.kind == "prompt" }
            #expect(prompt.map(\.rule) == ["beta"], "\(order)")
            #expect(prompt.first?.priority == 20)
            #expect(result.overridden.map(\.overriddenBy) == ["beta"])
            #expect(result.overridden.map(\.recommendation.rule) == ["alpha"])
            #expect(result.overridden.first?.recommendation.reason == "alpha says fade")
            #expect(result.overridden.first?.recommendation.priority == 10)
            // Other kinds for the same skill are not in conflict.
            #expect(Set(result.recommendations.map(\.kind)) == ["prompt", "alpha-only", "beta-only"])
        }
    }

    @Test("a tie in priority goes to the rule id that sorts first")
    func tieGoesToFirstID() throws {
        for order in [["alpha", "beta"], ["beta", "alpha"]] {
            let rules = order.map { Self.conflicting($0, priority: 10) }
            let result = try engine(rules).evaluate(Student(id: "s-1", skills: [Skill(id: "k")]), context: context)
            #expect(result.recommendations.filter { $0.kind == "prompt" }.map(\.rule) == ["alpha"], "\(order)")
            #expect(result.overridden == [
                OverriddenRecommendation(
                    recommendation: Recommendation(skill: "k", kind: "prompt", action: "hold", from: "gestural", rule: "beta", priority: 10, reason: "beta says hold"),
                    overriddenBy: "alpha")
            ])
        }
    }

    @Test("a recommendation's own priority overrides its rule's")
    func itemPriority() throws {
        let rules = [Self.conflicting("alpha", priority: 10, itemPriority: 99), Self.conflicting("beta", priority: 20)]
        let result = try engine(rules).evaluate(Student(id: "s-1"), context: context)
        #expect(result.recommendations.filter { $0.kind == "prompt" }.map(\.rule) == ["alpha"])
        #expect(result.recommendations.first { $0.kind == "prompt" }?.priority == 99)
        #expect(result.overridden.map(\.overriddenBy) == ["alpha"])
    }

    @Test("notes returned as { skill =, note = } land in StudentResult.notes")
    func notes() throws {
        let rule = """
            return {
              id = "noter",
              evaluate = function(student, ctx)
                return {
                  { skill = "k", note = "no prompt level recorded for k" },
                  { skill = "k", kind = "custom", action = "look", reason = "a recommendation beside the notes" },
                  { note = "nothing to say about the student as a whole" },
                }
              end,
            }
            """
        let result = try engine([(name: "noter", source: rule)]).evaluate(Student(id: "s-1"), context: context)
        #expect(result.errors == [])
        #expect(result.notes == [
            RuleNote(rule: "noter", skill: "k", message: "no prompt level recorded for k"),
            RuleNote(rule: "noter", skill: nil, message: "nothing to say about the student as a whole"),
        ])
        #expect(result.recommendations.map(\.reason) == ["a recommendation beside the notes"])
    }

    @Test("nil and an empty list are valid answers: nothing to recommend")
    func emptyAnswers() throws {
        for body in ["return nil", "return {}", ""] {
            let rule = "return { id = \"quiet\", evaluate = function(student, ctx) \(body) end }"
            let result = try engine([(name: "quiet", source: rule)]).evaluate(Student(id: "s-1"), context: context)
            #expect(result == StudentResult(student: "s-1"), "\(body)")
        }
    }

    @Test("jobs: 2 gives the same report as jobs: 1")
    func jobsGiveTheSameReport() throws {
        let ladder = Ladders.defaultPrompt
        var entries: [RosterEntry] = []
        for index in 0..<23 {
            let level = ladder[index % ladder.count]
            let sessions = (0..<(index % 5)).map { day in
                Session(date: "2026-11-1\(day)", promptLevel: level, stage: "guided", trials: 10, correct: (index * 3 + day) % 11)
            }
            let student = Student(
                id: "s-" + String(100 + index), flags: index % 4 == 0 ? ["iep"] : [],
                skills: [Skill(id: "fractions", sessions: sessions), Skill(id: "hand-washing", promptLevel: level)],
                work: index % 3 == 0 ? [WorkItem(id: "w", skill: "fractions", status: .missing), WorkItem(id: "w2", skill: "fractions", status: .missing)] : [])
            entries.append(.student(student))
            if index == 11 { entries.append(.invalid(studentID: "bad", issues: [TrellisIssue(kind: .invalidStudent, message: "bad record")])) }
        }
        let roster = Roster(
            context: ClassContext(
                asOf: "2026-11-20",
                catalog: [
                    CatalogItem(id: "a", title: "A", modality: "video", skills: ["fractions"]),
                    CatalogItem(id: "b", title: "B", modality: "drawing", skills: ["fractions"]),
                    CatalogItem(id: "c", title: "C", modality: "worksheet", skills: ["fractions"]),
                ]),
            entries: entries)
        let bundled = try Engine()
        let one = bundled.evaluate(roster, jobs: 1)
        #expect(one.outcomes.count == 24)
        #expect(one.summary.recommendations > 23)
        #expect(bundled.evaluate(roster, jobs: 2) == one)
        #expect(bundled.evaluate(roster, jobs: 5) == one)
        #expect(bundled.evaluate(roster, jobs: 100) == one)
    }
}
