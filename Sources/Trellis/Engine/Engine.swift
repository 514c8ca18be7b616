import Dispatch
import Foundation
import Synchronization

/// Evaluates students with a rule pack.
///
/// Create one engine and share it: it is `Sendable` and holds the rule sources, the settings and
/// the idle Lua states of earlier evaluations (two per core), which its next evaluation reuses
/// instead of compiling the rules again. Each evaluation runs one Lua state per worker.
///
/// ```swift
/// let engine = try Engine()                       // the bundled rules
/// let roster = try RosterReader.read(bytes, sourceName: "class.json")
/// let report = engine.evaluate(roster)
/// ```
public final class Engine: Sendable {
    /// How rule code is isolated.
    public enum Isolation: Sendable, Hashable {
        /// Read-only input, fresh globals for every student, and the instruction, memory and
        /// time limits. Always use this for rules you did not write.
        case sandboxed
        /// Plain tables, one run of each rule file, no limits: only to measure what the sandbox
        /// costs, with trusted rules.
        case unsandboxed
    }

    /// The loaded rules, in pack order.
    public let rules: [RuleDefinition]
    /// The parameter values each rule runs with, by rule id and parameter name.
    public let parameterValues: [String: [String: JSONValue]]
    public let limits: RuleLimits
    public let isolation: Isolation
    /// The bundled rules that a folder's rule of the same id replaces in this engine's pack
    /// (`RulePack.init(directories:includingBundled:)`).
    public var replacedRules: [RuleReplacement] { pack.replacements }
    let pack: RulePack
    private let coverage: CoverageRecorder?
    private let log: RuleLog?
    private let idleRunners = RunnerPool(capacity: 2 * ProcessInfo.processInfo.activeProcessorCount)

    /// Loads and checks a rule pack.
    ///
    /// - Parameters:
    ///   - rulePack: the rules; the bundled pack by default.
    ///   - parameters: values that replace rules' defaults, by rule id and parameter name.
    ///   - limits: what rule code may spend per student.
    ///   - isolation: `.sandboxed` unless you are measuring the sandbox.
    ///   - coverage: records the lines of rule files that run (for rule tests).
    ///   - log: keeps what rules pass to `ctx.log` (for rule tests); nil, `ctx.log` does nothing.
    /// - Throws: every problem of the pack (syntax, missing `evaluate`, duplicate ids,
    ///   parameters that do not fit), each with its file and line.
    public init(
        rulePack: RulePack = .bundled, parameters: [String: [String: JSONValue]] = [:], limits: RuleLimits = RuleLimits(),
        isolation: Isolation = .sandboxed, coverage: CoverageRecorder? = nil, log: RuleLog? = nil
    ) throws(TrellisError) {
        let runner = try RuleRunner(pack: rulePack, limits: limits, isolation: isolation, coverage: coverage, log: log)
        let definitions = runner.rules.map(\.definition)
        self.rules = definitions
        self.parameterValues = try Self.resolve(parameters, for: definitions)
        self.limits = limits
        self.isolation = isolation
        self.pack = rulePack
        self.coverage = coverage
        self.log = log
    }

    private static func resolve(_ overrides: [String: [String: JSONValue]], for rules: [RuleDefinition]) throws(TrellisError) -> [String: [String: JSONValue]] {
        var problems: [TrellisIssue] = []
        var resolved: [String: [String: JSONValue]] = [:]
        for rule in rules {
            var values: [String: JSONValue] = [:]
            for parameter in rule.parameters { values[parameter.name] = parameter.defaultValue }
            for (name, value) in overrides[rule.id] ?? [:] {
                guard let parameter = rule.parameters.first(where: { $0.name == name }) else {
                    let known = rule.parameters.map(\.name).joined(separator: ", ")
                    problems.append(TrellisIssue(kind: .invalidRule, rule: rule.id, message: "rule \(rule.id) has no parameter \(name) (it has: \(known))", location: rule.path))
                    continue
                }
                if let problem = parameter.problem(withGiven: value) {
                    problems.append(TrellisIssue(kind: .invalidRule, rule: rule.id, message: "parameter \(rule.id).\(name): \(problem)", location: rule.path))
                    continue
                }
                values[name] = value
            }
            resolved[rule.id] = values
        }
        for ruleID in overrides.keys.sorted() where !rules.contains(where: { $0.id == ruleID }) {
            problems.append(TrellisIssue(kind: .invalidRule, rule: ruleID, message: "no rule has the id \(ruleID) (rules: \(rules.map(\.id).joined(separator: ", ")))"))
        }
        guard problems.isEmpty else { throw TrellisError(issues: problems) }
        return resolved
    }

    /// Evaluates every student of a roster, in input order.
    ///
    /// - Parameters:
    ///   - roster: the students and the class-level fields, as `RosterReader` read them.
    ///   - jobs: how many workers (each with its own Lua state); the output is the same for any number.
    ///   - progress: called with the number of students finished, from any thread.
    public func evaluate(_ roster: Roster, jobs: Int = 1, progress: (@Sendable (Int) -> Void)? = nil) -> EvaluationReport {
        let entries = roster.entries
        let workers = max(1, min(jobs, entries.count))
        let outcomes = OutcomeSlots(count: entries.count)
        let finished = FinishedCounter()
        let work: @Sendable (Int) -> Void = { worker in
            self.withEvaluator(context: roster.context) { evaluate in
                for index in stride(from: worker, to: entries.count, by: workers) {
                    outcomes[index] = evaluate(entries[index])
                    if let progress { progress(finished.increment()) }
                }
            }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        let studentOutcomes = outcomes.values
        return EvaluationReport(asOf: roster.context.asOf, outcomes: studentOutcomes, classResult: evaluateClass(roster, outcomes: studentOutcomes))
    }

    /// Class-level rules run once, after every student, over the evaluated students.
    private func evaluateClass(_ roster: Roster, outcomes: [StudentOutcome]) -> ClassResult? {
        guard hasClassRules else { return nil }
        let students = roster.entries.compactMap { entry -> Student? in
            if case .student(let student) = entry { student.decidable } else { nil }
        }
        let results = outcomes.compactMap { outcome -> StudentResult? in
            if case .evaluated(let result) = outcome { result } else { nil }
        }
        return evaluateClass(.whole(students, results: results), context: roster.context)
    }

    /// Whether any rule has `evaluate_class`.
    var hasClassRules: Bool { rules.contains(where: \.evaluatesClass) }

    /// Runs the class-level rules over `students` (see `RuleRunner.evaluateClass`).
    func evaluateClass(_ students: RuleRunner.ClassStudents, context: ClassContext, deliver: ((Recommendation) -> Void)? = nil) -> ClassResult {
        withRunner(context: context) { runner in
            runner.evaluateClass(students, info: context.classInfo, deliver: deliver)
        } unevaluated: { reason in
            ClassResult(errors: [TrellisIssue(kind: .ruleError, message: reason)])
        }
    }

    /// Evaluates a class document built in Swift.
    public func evaluate(_ document: ClassDocument, jobs: Int = 1) -> EvaluationReport {
        evaluate(Roster(document), jobs: jobs)
    }

    /// Evaluates one student with the class-level fields of `context`.
    public func evaluate(_ student: Student, context: ClassContext) -> StudentResult {
        withStudentEvaluator(context: context) { evaluate in evaluate(student) }
    }

    /// Runs `body` with a runner prepared for `context`, then keeps the runner for the next
    /// evaluation. When none can be made, `unevaluated` gets the reason instead: the pack loaded
    /// once already (`init`), so only running out of memory gets there.
    func withRunner<T>(context: ClassContext, _ body: (RuleRunner) -> T, unevaluated: (String) -> T) -> T {
        let runner: RuleRunner
        do throws(TrellisError) {
            runner = try makeRunner(context: context)
        } catch {
            return unevaluated(error.description)
        }
        defer { recycle(runner) }
        return body(runner)
    }

    /// Runs `body` with the function that evaluates a student for `context` (`withRunner`): its
    /// result, or the reason no runner could be made as its error.
    func withStudentEvaluator<T>(context: ClassContext, _ body: ((Student) -> StudentResult) -> T) -> T {
        withRunner(context: context) { runner in
            body { Self.result(for: $0, runner: runner) }
        } unevaluated: { reason in
            body { student in
                StudentResult(student: student.id, name: student.name, errors: [TrellisIssue(kind: .ruleError, student: student.id, message: reason)])
            }
        }
    }

    /// The same for roster entries: a student is evaluated, an invalid entry skipped.
    func withEvaluator<T>(context: ClassContext, _ body: ((RosterEntry) -> StudentOutcome) -> T) -> T {
        withStudentEvaluator(context: context) { evaluate in
            withoutActuallyEscaping(evaluate) { evaluate in
                body { entry in
                    switch entry {
                    case .student(let student): .evaluated(evaluate(student))
                    case .invalid(let id, let issues): .skipped(studentID: id, issues: issues)
                    }
                }
            }
        }
    }

    /// A runner prepared for `context`: an idle one when there is one (loading the rules into a
    /// new Lua state costs more than many students), else a new one. `withRunner` gives it back with `recycle`.
    private func makeRunner(context: ClassContext) throws(TrellisError) -> RuleRunner {
        let runner: RuleRunner
        if let idle = idleRunners.take() {
            runner = idle
        } else {
            runner = try RuleRunner(pack: pack, limits: limits, isolation: isolation, coverage: coverage, log: log)
        }
        runner.prepare(context: context, parameterValues: parameterValues)
        return runner
    }

    /// Keeps a runner for the next evaluation (up to a few per core).
    private func recycle(_ runner: RuleRunner) {
        idleRunners.put(runner)
    }

    /// How many runners wait for the next evaluation (for tests).
    var idleRunnerCount: Int { idleRunners.count }

    static func result(for student: Student, runner: RuleRunner) -> StudentResult {
        let outcomes = runner.evaluate(student.decidable)
        let (winners, overridden) = ConflictResolver.resolve(outcomes.recommendations)
        let ordered = outputOrder(winners, skills: student.skills)
        var result = StudentResult(student: student.id, name: student.name, recommendations: ordered, overridden: overridden, notes: outcomes.notes, errors: outcomes.errors)
        result.withholdIncompleteSkills(of: student)
        return result
    }

    /// A student's winning recommendations in the order a teacher reads them: skill by skill, in
    /// the record's order (those about no skill last), and for each skill the prompt, then the
    /// stage, then other kinds, then the menu; otherwise as the rules made them.
    ///
    /// Each recommendation's place is worked out once (a few skills are found by a scan, more
    /// by a table) and the places sorted, not the recommendations.
    static func outputOrder(_ winners: [Recommendation], skills: [Skill]) -> [Recommendation] {
        guard winners.count > 1 else { return winners }
        // A skill listed twice takes its last place, as a table built in record order would.
        let skillOrder: [String: Int]? = skills.count > 16 ? Dictionary(skills.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { $1 }) : nil
        func skillIndex(_ id: String?) -> Int {
            guard let id else { return Int.max }
            if let skillOrder { return skillOrder[id] ?? Int.max }
            return skills.lastIndex { $0.id == id } ?? Int.max
        }
        func kindIndex(_ kind: String) -> Int {
            switch kind {
            case "prompt": 0
            case "scaffold": 1
            case "choices": 3
            default: 2
            }
        }
        var places = winners.enumerated().map { (skill: skillIndex($1.skill), kind: kindIndex($1.kind), offset: $0) }
        // The offset makes every place distinct, so an unstable sort gives the stable order.
        places.sort { ($0.skill, $0.kind, $0.offset) < ($1.skill, $1.kind, $1.offset) }
        return places.map { winners[$0.offset] }
    }
}

/// Result slots that workers fill by index; each index is written by exactly one worker.
private final class OutcomeSlots: Sendable {
    private let storage: Mutex<[StudentOutcome?]>

    init(count: Int) {
        storage = Mutex(Array(repeating: nil, count: count))
    }

    subscript(index: Int) -> StudentOutcome? {
        get { storage.withLock { $0[index] } }
        set { storage.withLock { $0[index] = newValue } }
    }

    var values: [StudentOutcome] {
        storage.withLock { $0.compactMap { $0 } }
    }
}

private final class FinishedCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment() -> Int {
        count.add(1, ordering: .relaxed).newValue
    }
}

/// Runners waiting for their next evaluation. Each is used by one thread at a time: taken out,
/// used, put back.
private final class RunnerPool: Sendable {
    private let idle = Mutex<[IdleRunner]>([])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    func take() -> RuleRunner? {
        idle.withLock { $0.popLast()?.runner }
    }

    func put(_ runner: RuleRunner) {
        idle.withLock { idle in
            if idle.count < capacity { idle.append(IdleRunner(runner: runner)) }
        }
    }

    var count: Int { idle.withLock { $0.count } }
}

/// A runner between two evaluations. Unchecked because a `RuleRunner` (its Lua state) moves from
/// the thread that gave it back to the one that takes it next, by design; no two use it at once.
private struct IdleRunner: @unchecked Sendable {
    let runner: RuleRunner
}
