import Foundation
import Testing
@testable import Trellis

// The hostile-rule corpus: every file in Fixtures/hostile is one untrusted rule that attacks the
// sandbox (runaway loops and recursion, memory bombs, forbidden libraries, writes to shared
// input, poisoned libraries, state carried across students, broken return values, broken files,
// pattern-matching and C-level blow-ups, finalizers). Each file says what it attacks and carries
// one machine-readable expectation line:
//
//   -- expect: kind=<issue kind>[|<issue kind>] [max_message=<n>] [message~=<substring>] [line=<n>]
//        a runtime failure: every student gets exactly this one error from the rule, at
//        "<file>:<n>" when line= is given, its message at most max_message characters when
//        given; the witness rule's result is exactly as without it
//   -- expect: load_error [message~=<substring>] [line=<n>]
//        Engine(rulePack:) throws, naming the file (and line)
//   -- expect: clean [reason~=<substring>]
//        no errors; each student's results are the same whatever the order of the students and
//        the number of workers; the witness's results are exactly as without the hostile rule;
//        with reason~=, the rule's own recommendation says so for every student
//
// An optional `-- limit: milliseconds=<n>` line runs the case with that time limit instead of
// 5,000 ms (for attacks only a deadline stops, so that each takes well under a second). Apart
// from the corpus, every case also runs alone with a 200 ms limit and no instruction budget, and
// must end within 1.5 times that limit (HostileTimeTests).
//
// Each case runs the hostile rule together with a well-behaved witness rule over three students.
// The work runs on a thread of its own under a watchdog, so that an engine that hangs inside C
// (where no Lua hook runs) fails that one case instead of freezing the whole test run.

// MARK: - The corpus

/// What a hostile script must do to the engine.
enum HostileExpectation: Sendable, Hashable {
    case runtime(kinds: [TrellisIssue.Kind], message: String?, line: Int?, maxMessage: Int?)
    case loadError(message: String?, line: Int?)
    case clean(reason: String?)

    /// Parses the text after `-- expect:`.
    init?(parsing text: String) {
        var rest = text.trimmingCharacters(in: .whitespaces)
        var line: Int?
        var maxMessage: Int?
        if let range = rest.range(of: #"\s+max_message=\d+"#, options: .regularExpression) {
            maxMessage = Int(rest[range].split(separator: "=").last ?? "")
            rest.removeSubrange(range)
        }
        if let range = rest.range(of: #"\s+line=\d+$"#, options: .regularExpression) {
            line = Int(rest[range].split(separator: "=").last ?? "")
            rest = String(rest[..<range.lowerBound])
        }
        func value(after key: String) -> String? {
            guard let range = rest.range(of: key) else { return nil }
            return String(rest[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        let head = rest.prefix { !$0.isWhitespace }
        if head == "clean" {
            guard line == nil, maxMessage == nil else { return nil }
            self = .clean(reason: value(after: "reason~="))
        } else if head == "load_error" {
            guard maxMessage == nil else { return nil }
            self = .loadError(message: value(after: "message~="), line: line)
        } else if head.hasPrefix("kind=") {
            let names = head.dropFirst("kind=".count).split(separator: "|")
            let kinds = names.compactMap { TrellisIssue.Kind(rawValue: String($0)) }
            guard !kinds.isEmpty, kinds.count == names.count else { return nil }
            self = .runtime(kinds: kinds, message: value(after: "message~="), line: line, maxMessage: maxMessage)
        } else {
            return nil
        }
    }
}

/// One file of Fixtures/hostile.
struct HostileScript: Sendable, CustomTestStringConvertible {
    /// The file name without `.lua`; also the rule's id.
    var stem: String
    var source: String
    /// The expectation line's text, or nil when the file has none.
    var expectationText: String?
    var expectation: HostileExpectation?
    /// The time limit of the `-- limit: milliseconds=<n>` line, if any.
    var milliseconds: Int?

    /// The path the engine names in errors.
    var path: String { "hostile/\(stem).lua" }
    var testDescription: String { stem }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")

    /// Every `.lua` file of the folder, in name order.
    static func all() -> [HostileScript] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".lua") }.sorted()
        return names.map { name in
            let data = (try? Data(contentsOf: folder.appendingPathComponent(name))) ?? Data()
            let source = String(decoding: data, as: UTF8.self)
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let text = lines.first { $0.hasPrefix("-- expect:") }.map { String($0.dropFirst("-- expect:".count)) }
            let milliseconds = lines.first { $0.hasPrefix("-- limit: milliseconds=") }.flatMap { Int($0.dropFirst("-- limit: milliseconds=".count)) }
            return HostileScript(
                stem: String(name.dropLast(".lua".count)), source: source, expectationText: text, expectation: text.flatMap(HostileExpectation.init(parsing:)),
                milliseconds: milliseconds)
        }
    }
}

// MARK: - The class and the witness

private enum Hostile {
    static let limits = RuleLimits(instructions: 2_000_000, memoryBytes: 16 << 20, milliseconds: 5000)

    /// Longer than any case needs by far, shorter than the one-minute time limit.
    static let hangSeconds = 40

    static let sentinelPrefix = "trellis-hostile-sentinel-"

    static let context = ClassContext(
        asOf: "2026-11-20", classInfo: ClassInfo(id: "3B", title: "Room 3B", staff: ["t-ortiz", "p-lee"]),
        catalog: [
            CatalogItem(id: "show-video", title: "Record a 2-minute video", kind: "show", modality: "video", skills: ["hand-washing"]),
            CatalogItem(id: "draw-steps", title: "Draw the steps", kind: "show", modality: "drawing", skills: ["hand-washing"]),
            CatalogItem(id: "tell-a-friend", title: "Explain it to a friend", kind: "explain", modality: "oral", skills: ["hand-washing"]),
        ])

    static func student(_ number: Int) -> Student {
        Student(
            id: "s-\(number)", name: "Student \(number)", flags: number == 2 ? ["iep"] : [], preferredModalities: number == 3 ? ["drawing"] : ["video"],
            skills: [
                Skill(
                    id: "hand-washing", domain: "adaptive",
                    sessions: (1...3).map { day in
                        Session(
                            date: "2026-11-1\(day)", promptLevel: "gestural", stage: "guided", trials: 10, correct: 5 + number + day, independent: day - 1,
                            setting: "classroom", staff: "p-lee")
                    })
            ])
    }

    static let students = (1...3).map(student)
    static let forward = ClassDocument(context: context, students: students)
    static let reversed = ClassDocument(context: context, students: students.reversed())

    /// A well-behaved rule that reads the student, ctx, the helpers and the libraries a hostile
    /// rule might poison, and names the student: one recommendation per student.
    static let witness = RuleSource(
        path: "rules/witness.lua",
        source: """
            return {
              id = "witness",
              api = 1,
              evaluate = function(student, ctx)
                local skill = student.skills[1]
                local level = trellis.sessions.current_level(skill, "prompt_level")
                local options = trellis.menu.choose(student, skill.id, ctx.catalog, { count = 2 })
                local ids = {}
                for i, option in ipairs(options) do ids[i] = option.id end
                local fields = 0
                for _ in pairs(student) do fields = fields + 1 end
                return { {
                  skill = skill.id, kind = "witness", action = "report",
                  reason = string.format("witness for %s (%s)", student.id, string.upper(student.name or "?")),
                  evidence = {
                    id = student.id, name = student.name, fields = fields, flags = #student.flags,
                    level = level, next = trellis.ladder.next(ctx.ladders.prompt, level),
                    previous = trellis.ladder.previous(ctx.ladders.prompt, level),
                    sessions = #skill.sessions, trials = skill.sessions[1].trials,
                    percents = trellis.format.percents(skill.sessions),
                    catalog = ctx.catalog[1].title, catalog_size = #ctx.catalog, options = table.concat(ids, ","),
                    first_prompt = ctx.ladders.prompt[1], prompt_levels = #ctx.ladders.prompt,
                    class = ctx.class and ctx.class.title, as_of = ctx.as_of, params = next(ctx.params) or "none",
                    method = ("abc"):upper() .. ("x"):rep(3), find = (string.find("hello", "l")),
                    floor = math.floor(2.5), leaked = tostring(leaked) .. tostring(calls),
                  },
                } }
              end,
            }
            """)

    static func engine(_ sources: [RuleSource], milliseconds: Int? = nil) throws(TrellisError) -> Engine {
        var limits = limits
        if let milliseconds { limits.milliseconds = milliseconds }
        return try Engine(rulePack: RulePack(sources: sources), limits: limits)
    }

    /// Files at /tmp/trellis-hostile-sentinel-*: a rule that got out.
    static func sentinels() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix(sentinelPrefix) }
    }
}

// MARK: - Running a case

/// A value handed from the worker thread to the test.
private final class Mailbox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    func put(_ newValue: Value) { lock.withLock { value = newValue } }
    func take() -> Value? { lock.withLock { value } }
}

/// Runs `body` on a thread of its own; nil when it has not finished after `seconds` (the thread
/// is then left behind: nothing can stop code spinning inside C).
private func runWatched<Value: Sendable>(seconds: Int, _ body: @escaping @Sendable () -> Value) async -> Value? {
    let mailbox = Mailbox<Value>()
    let thread = Thread { mailbox.put(body()) }
    thread.stackSize = 16 << 20
    thread.start()
    let clock = ContinuousClock()
    let giveUp = clock.now.advanced(by: .seconds(seconds))
    while clock.now < giveUp {
        if let value = mailbox.take() { return value }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return mailbox.take()
}

/// Checks one script against its expectation; returns what is wrong (empty when all is well).
/// Plain Swift, no #expect: it runs on the watchdog's thread.
private func check(_ script: HostileScript) -> [String] {
    guard let expectation = script.expectation else {
        return ["\(script.path) has no valid `-- expect:` line (found: \(script.expectationText ?? "none"))"]
    }
    var problems: [String] = []
    let hostile = RuleSource(path: script.path, source: script.source)

    if case .loadError(let message, let line) = expectation {
        do {
            _ = try Hostile.engine([hostile, Hostile.witness], milliseconds: script.milliseconds)
            problems.append("the pack loaded; expected a load error")
        } catch {
            let matching = error.issues.filter { issue in
                guard let location = issue.location, location == script.path || location.hasPrefix(script.path + ":") else { return false }
                if let line, location != "\(script.path):\(line)" { return false }
                if let message, !issue.message.contains(message) { return false }
                return true
            }
            if matching.isEmpty {
                problems.append(
                    "no load issue at \(script.path)\(line.map { ":\($0)" } ?? "")\(message.map { " containing \"\($0)\"" } ?? ""); got: \(error.description)")
            }
            if error.issues.contains(where: { $0.location?.hasPrefix(Hostile.witness.path) ?? false }) {
                problems.append("the witness rule was blamed: \(error.description)")
            }
            problems += TerminalSafety.problems(inIssues: error.issues)
        }
        return problems
    }

    let baseline: EvaluationReport
    let engine: Engine
    do {
        baseline = try Hostile.engine([Hostile.witness]).evaluate(Hostile.forward)
        engine = try Hostile.engine([hostile, Hostile.witness], milliseconds: script.milliseconds)
    } catch {
        return ["the pack did not load: \(error.description)"]
    }
    let report = engine.evaluate(Hostile.forward)
    problems += TerminalSafety.problems(in: report)
    if report.results.map(\.student) != Hostile.students.map(\.id) {
        problems.append("expected results for \(Hostile.students.map(\.id)), got \(report.outcomes)")
    }
    let baselineByStudent = Dictionary(uniqueKeysWithValues: baseline.results.map { ($0.student, $0) })

    for result in report.results {
        let id = result.student
        guard let before = baselineByStudent[id] else {
            problems.append("\(id): no baseline result")
            continue
        }
        if before.errors != [] || before.recommendations.count != 1 {
            problems.append("\(id): the witness alone does not give one clean recommendation: \(before)")
        }
        let witnessNow = result.recommendations.filter { $0.rule == "witness" }
        if witnessNow != before.recommendations {
            problems.append("\(id): the witness's recommendation changed.\n  without the hostile rule: \(before.recommendations)\n  with it: \(witnessNow)")
        }
        switch expectation {
        case .runtime(let kinds, let message, let line, let maxMessage):
            if result.errors.count != 1 {
                problems.append("\(id): expected exactly one error (from \(script.stem)), got \(result.errors.count): \(result.errors.map(\.description))")
            }
            guard let issue = result.errors.first(where: { $0.rule == script.stem }) else {
                problems.append("\(id): no error from \(script.stem)")
                continue
            }
            if !kinds.contains(issue.kind) {
                problems.append("\(id): kind \(issue.kind.rawValue), expected \(kinds.map(\.rawValue).joined(separator: " or ")): \(issue.description)")
            }
            if issue.student != id { problems.append("\(id): the error names student \(issue.student ?? "nil")") }
            if let message, !issue.message.contains(message) {
                problems.append("\(id): message \"\(issue.message.prefix(2000))\" does not contain \"\(message)\"")
            }
            if let maxMessage, issue.message.count > maxMessage {
                problems.append("\(id): the message has \(issue.message.count) characters, more than \(maxMessage): \"\(issue.message.prefix(200))...\"")
            }
            let location = issue.location ?? "nil"
            if let line {
                if location != "\(script.path):\(line)" { problems.append("\(id): location \(location), expected \(script.path):\(line)") }
            } else if location != script.path && !location.hasPrefix(script.path + ":") {
                problems.append("\(id): location \(location) does not name \(script.path)")
            }
            // Nothing else changed: the hostile rule contributes nothing, the rest is as without it.
            if result.recommendations != before.recommendations || result.notes != before.notes || result.overridden != before.overridden {
                problems.append("\(id): the results besides the error differ from a run without the hostile rule: \(result) vs \(before)")
            }
        case .clean(let reason):
            if !result.errors.isEmpty { problems.append("\(id): expected no errors, got \(result.errors.map(\.description))") }
            if let reason {
                let own = result.recommendations.filter { $0.rule == script.stem }.map(\.reason)
                if !own.contains(where: { $0.contains(reason) }) {
                    problems.append("\(id): no recommendation of \(script.stem) has a reason containing \"\(reason)\"; its reasons: \(own)")
                }
            }
        case .loadError:
            break
        }
    }

    if case .clean = expectation {
        // State never crosses students: the same results whoever comes first, and with two workers.
        let byStudent = Dictionary(uniqueKeysWithValues: report.results.map { ($0.student, $0) })
        for (label, other) in [("students in reverse order", engine.evaluate(Hostile.reversed)), ("jobs: 2", engine.evaluate(Hostile.forward, jobs: 2))] {
            for result in other.results where byStudent[result.student] != result {
                problems.append(
                    "\(result.student): differs with \(label):\n  in order, one worker: \(byStudent[result.student].map { "\($0)" } ?? "nil")\n  \(label): \(result)")
            }
            if other.results.count != report.results.count { problems.append("\(label): \(other.results.count) results") }
        }
    }
    return problems
}

/// At most 4,000 characters of a problem's text: a hostile rule's output can be megabytes long.
private func abbreviated(_ text: String) -> String {
    text.count <= 4000 ? text : "\(text.prefix(4000))... (\(text.count) characters in all)"
}

// MARK: - Tests

@Suite("Hostile rules")
struct HostileRuleTests {
    @Test("the corpus has at least 36 scripts, each with a valid expectation and an id that is its file name")
    func corpusIsComplete() {
        let scripts = HostileScript.all()
        #expect(scripts.count >= 36, "only \(scripts.count) scripts in \(HostileScript.folder.path)")
        for script in scripts {
            #expect(script.expectation != nil, "\(script.path): no valid expectation line (\(script.expectationText ?? "none"))")
            if case .loadError = script.expectation { continue }
            #expect(script.source.contains("id = \"\(script.stem)\""), "\(script.path): the rule's id is not its file name")
        }
    }

    @Test(
        "a hostile rule is stopped or refused and reported, or is harmless; the witness rule and other students are unaffected",
        .timeLimit(.minutes(1)), arguments: HostileScript.all())
    func hostileRule(_ script: HostileScript) async {
        let problems = await runWatched(seconds: Hostile.hangSeconds) { check(script) }
        if let problems {
            for problem in problems { Issue.record("\(script.stem): \(abbreviated(problem))") }
        } else {
            Issue.record(
                "\(script.stem): the engine did not finish within \(Hostile.hangSeconds) s (3 students, a few runs): it hangs on this rule, where no limit stops it")
        }
        #expect(Hostile.sentinels() == [], "a rule wrote outside the sandbox")
        // Reaching this line means the process survived the rule (os.exit, a crash or an abort would end it).
        #expect(ProcessInfo.processInfo.processIdentifier > 0)
    }
}

/// Every case of the corpus, alone, over one student, with a 200 ms time limit and no instruction
/// budget: whatever it does (costly C calls in a loop, a sort of long strings, a pathological
/// pattern, a library function looping over a huge __len), only the deadline and the memory cap
/// stop it, and it must end within 1.5 times the limit. One case at a time, so that the cases do
/// not compete with each other for the two cores; the bound is on the multiple of the limit, which
/// the machine's load does not move much (the deadline is wall-clock time).
@Suite("Hostile rules: time", .serialized)
struct HostileTimeTests {
    static let milliseconds = 200

    @Test(
        "a hostile rule stops within 1.5 times its time limit, whatever C functions it calls", .timeLimit(.minutes(1)),
        arguments: HostileScript.all().filter { if case .loadError = $0.expectation { false } else { true } })
    func stopsInTime(_ script: HostileScript) async {
        let limits = RuleLimits(instructions: 0, memoryBytes: 16 << 20, milliseconds: Self.milliseconds)
        let elapsed = await runWatched(seconds: Hostile.hangSeconds) { () -> (Duration?, String?) in
            do {
                let engine = try Engine(rulePack: RulePack(sources: [RuleSource(path: script.path, source: script.source)]), limits: limits)
                let document = ClassDocument(context: Hostile.context, students: [Hostile.student(1)])
                // An empty class builds the Lua state (sandbox, helpers, the rule) and leaves it
                // idle for the next evaluation, so the clock below times the rule's run alone: on
                // a loaded machine building the state took tens of milliseconds of the margin.
                _ = engine.evaluate(ClassDocument(context: Hostile.context, students: []))
                let clock = ContinuousClock()
                let start = clock.now
                _ = engine.evaluate(document)
                return (clock.now - start, nil)
            } catch {
                return (nil, "\(error)")
            }
        }
        guard let elapsed else {
            Issue.record("\(script.stem): did not finish within \(Hostile.hangSeconds) s against a \(Self.milliseconds) ms limit")
            return
        }
        if let problem = elapsed.1 { Issue.record("\(script.stem): the rule did not load: \(problem)") }
        if let duration = elapsed.0 {
            #expect(duration <= Duration.milliseconds(Self.milliseconds * 3 / 2), "\(script.stem): ran \(duration) against a \(Self.milliseconds) ms limit")
        }
    }
}
