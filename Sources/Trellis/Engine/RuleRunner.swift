import TrellisLua

/// Runs a rule pack in one Lua state: loads the rules once, then evaluates students one by one.
///
/// Not `Sendable`: each worker owns its own runner. Each student's table is built once and
/// handed to every rule; each rule runs its file afresh for each student, so no global or
/// module-level local carries over from one student to the next.
final class RuleRunner {
    private let lua: LuaState
    private(set) var rules: [LoadedRule] = []
    private let environmentMetatable: LuaReference
    private let isolation: Engine.Isolation
    private var ladders = Ladders()
    /// Where `ctx.log`'s messages go; nil: `ctx.log` does nothing (reports never show them).
    private let log: RuleLog?

    struct LoadedRule {
        var definition: RuleDefinition
        /// The compiled chunk, in the registry.
        var chunk: LuaReference
        /// The `evaluate` of the rule table built at load time, in the registry; used only
        /// without the sandbox, where the file does not run again for each student.
        var loadedEvaluate: LuaReference
        /// Whether the rule has `evaluate`: a class-level rule may have only `evaluate_class`.
        var evaluatesStudents = true
        /// The rule's `ctx` table for the current class, in the registry.
        var context: LuaReference = .none
    }

    /// How many times a rule file ran afresh for a student (the others reused its `evaluate`).
    var freshRuleRuns: Int { lua.freshRuleRuns }

    /// Loads the engine's Lua and every rule; throws every problem found, each with file:line.
    init(
        pack: RulePack, limits: RuleLimits, isolation: Engine.Isolation = .sandboxed, coverage: CoverageRecorder? = nil, log: RuleLog? = nil
    ) throws(TrellisError) {
        self.isolation = isolation
        self.log = log
        do {
            lua = isolation == .sandboxed ? try LuaState(limits: limits.lua) : try LuaState(limits: .none, readOnlyInput: false)
            if let coverage { lua.reportLines { coverage.record(source: $0, line: $1) } }
            lua.keepsLog = log != nil
            environmentMetatable = try Self.loadEngineLua(into: lua)
        } catch {
            throw TrellisError(issues: [TrellisIssue(kind: .invalidRule, message: "the engine's Lua failed to load: \(error.message)", location: error.location)])
        }
        var problems: [TrellisIssue] = []
        var firstPathByID: [String: String] = [:]
        for source in pack.sources {
            do {
                let rule = try load(source)
                if let first = firstPathByID[rule.definition.id] {
                    let line = SourceLines.line(assigning: "id", in: source.source)
                    problems.append(
                        TrellisIssue(kind: .invalidRule, rule: rule.definition.id, message: "duplicate rule id (also in \(first))", location: source.path + (line.map { ":\($0)" } ?? "")))
                    continue
                }
                firstPathByID[rule.definition.id] = source.path
                rules.append(rule)
            } catch {
                problems.append(contentsOf: error.issues)
            }
        }
        guard problems.isEmpty else { throw TrellisError(issues: problems) }
    }

    private static func loadEngineLua(into lua: LuaState) throws(LuaFailure) -> LuaReference {
        func source(_ name: String) -> String {
            EmbeddedLua.engineSources.first { $0.name == name }?.source ?? ""
        }
        return try lua.loadSandbox(source: source("sandbox.lua"), chunkName: "trellis/sandbox.lua", helpersSource: source("helpers.lua"))
    }

    // MARK: Loading rules

    private func load(_ source: RuleSource) throws(TrellisError) -> LoadedRule {
        let top = lua.top
        defer { lua.top = top }
        func problem(_ message: String, location: String? = nil, rule: String? = nil) -> TrellisError {
            TrellisError(issues: [TrellisIssue(kind: .invalidRule, rule: rule, message: message, location: location ?? source.path)])
        }
        do {
            try lua.load(source.source, chunkName: source.path)
        } catch {
            throw problem(error.message, location: error.location)
        }
        lua.pushCopy(of: .top)
        let chunk = lua.reference()
        do {
            try lua.loadRule(chunk: chunk, environment: environmentMetatable)
        } catch {
            throw problem("loading the rule failed: \(error.message)", location: error.location)
        }
        let table = lua.top
        guard lua.rawField("id", of: table) == .string, let id = lua.string(at: -1), !id.isEmpty else {
            throw problem("the rule table needs an id: a non-empty string, such as id = \"my-rule\"")
        }
        lua.pop()
        var definition = RuleDefinition(id: id, path: source.path)
        // Each problem with the field it is about, to point at the line that sets it.
        var problems: [(message: String, field: String?)] = []

        switch lua.rawField("description", of: table) {
        case .nil: break
        case .string: definition.description = lua.string(at: -1)
        default: problems.append(("description must be a string", "description"))
        }
        lua.pop()
        switch lua.rawField("priority", of: table) {
        case .nil: break
        case .number:
            let priority = lua.number(at: .top)
            if let problem = RuleOutputReader.priorityProblem(priority) {
                problems.append((problem, "priority"))
            } else {
                definition.priority = priority
            }
        default: problems.append(("priority must be a number, got a \(typeName(at: -1))", "priority"))
        }
        lua.pop()
        switch lua.rawField("api", of: table) {
        case .nil: break
        case .number where lua.isInteger(at: .top):
            let version = Int(lua.integer(at: .top))
            if RuleAPI.supportedVersions.contains(version) {
                definition.api = version
            } else {
                problems.append(("rule API version \(version) is not supported (this Trellis supports \(RuleAPI.versionList))", "api"))
            }
        default: problems.append(("api must be a whole number, such as api = 1", "api"))
        }
        lua.pop()
        let evaluateType = lua.rawField("evaluate", of: table)
        lua.pop()
        let evaluateClassType = lua.rawField("evaluate_class", of: table)
        lua.pop()
        definition.evaluatesClass = evaluateClassType == .function
        // A class-level rule need not have evaluate; any other rule must.
        let evaluatesStudents = evaluateType == .function
        if !evaluatesStudents, evaluateType != .nil || !definition.evaluatesClass {
            problems.append(("the rule table needs evaluate = function(student, ctx) ... end", nil))
        }
        if evaluateClassType != .nil, !definition.evaluatesClass {
            problems.append(("evaluate_class must be a function", "evaluate_class"))
        }
        switch lua.rawField("reads_results", of: table) {
        case .nil: break
        case .boolean: definition.readsResults = lua.boolean(at: .top)
        default: problems.append(("reads_results must be true or false, got a \(typeName(at: -1))", "reads_results"))
        }
        lua.pop()
        switch lua.rawField("params", of: table) {
        case .nil: break
        case .table: definition.parameters = readParameters(at: lua.top, problems: &problems)
        default: problems.append(("params must be a table of name = default or name = { default = ..., type = ... }", "params"))
        }
        lua.pop()
        guard problems.isEmpty else {
            throw TrellisError(issues: problems.map { problem in
                let line = problem.field.flatMap { SourceLines.line(assigning: $0, in: source.source) }
                return TrellisIssue(kind: .invalidRule, rule: id, message: problem.message, location: source.path + (line.map { ":\($0)" } ?? ""))
            })
        }
        lua.rawField("evaluate", of: table)
        return LoadedRule(definition: definition, chunk: chunk, loadedEvaluate: lua.reference(), evaluatesStudents: evaluatesStudents)
    }

    private func typeName(at slot: LuaSlot) -> String {
        lua.typeName(at: slot)
    }

    private func readParameters(at table: LuaSlot, problems: inout [(message: String, field: String?)]) -> [RuleParameter] {
        let value: JSONValue
        do {
            var budget = LuaState.outputBudget
            value = try lua.jsonValue(at: table, path: "params", budget: &budget)
        } catch {
            problems.append(("\(error.path): \(error.message)", "params"))
            return []
        }
        guard case .object(let members) = value else {
            if value != .array([]) { problems.append(("params must be a table of named parameters", "params")) }
            return []
        }
        var parameters: [RuleParameter] = []
        for name in members.keys.sorted() {
            guard let declaration = members[name] else { continue }
            if case .object(let fields) = declaration, let defaultValue = fields["default"] {
                let declaredType = fields["type"]?.stringValue
                guard let type = declaredType.map(RuleParameter.ValueType.init(rawValue:)) ?? RuleParameter.inferredType(of: defaultValue) else {
                    let allowed = RuleParameter.ValueType.allCases.map(\.rawValue).joined(separator: ", ")
                    problems.append(("params.\(name).type must be one of \(allowed)", name))
                    continue
                }
                let parameter = RuleParameter(
                    name: name, defaultValue: defaultValue, type: type, minimum: fields["min"]?.doubleValue, maximum: fields["max"]?.doubleValue,
                    description: fields["description"]?.stringValue)
                if let problem = parameter.problem(with: defaultValue) {
                    problems.append(("params.\(name).default: \(problem)", name))
                    continue
                }
                parameters.append(parameter)
            } else {
                guard let type = RuleParameter.inferredType(of: declaration) else {
                    problems.append(("params.\(name): a default must be a number, string, boolean or list, or { default = ... }", name))
                    continue
                }
                parameters.append(RuleParameter(name: name, defaultValue: declaration, type: type))
            }
        }
        return parameters
    }

    // MARK: The class

    /// Builds each rule's `ctx` for a class: the shared tables once, the params per rule.
    func prepare(context: ClassContext, parameterValues: [String: [String: JSONValue]]) {
        let top = lua.top
        defer { lua.top = top }
        ladders = context.ladders
        for index in rules.indices {
            lua.release(rules[index].context)
        }
        lua.push(context.ladders)
        let laddersSlot = lua.top
        lua.pushList(context.catalog) { lua.push($0) }
        let catalogSlot = lua.top
        if let info = context.classInfo { lua.push(info) } else { lua.pushNil() }
        let classSlot = lua.top
        for index in rules.indices {
            let definition = rules[index].definition
            lua.newTable(fields: 7)
            lua.set("as_of", context.asOf)
            for (key, slot) in [("ladders", laddersSlot), ("catalog", catalogSlot), ("class", classSlot)] {
                lua.pushCopy(of: slot)
                lua.setField(key)
            }
            lua.newTable(fields: 1)
            lua.set("id", definition.id)
            lua.seal()
            lua.setField("rule")
            lua.push(.object(parameterValues[definition.id] ?? [:]))
            lua.setField("params")
            lua.push(LuaState.ContextFunction.emit)
            lua.setField("emit")
            lua.push(LuaState.ContextFunction.log)
            lua.setField("log")
            lua.seal()
            rules[index].context = lua.reference()
        }
    }

    /// The names a rule's environment holds (the sandbox's base table), for `RuleGlobals`.
    func sandboxGlobals() -> Set<String> {
        let top = lua.top
        defer { lua.top = top }
        lua.push(environmentMetatable)
        guard lua.rawField("__index", of: lua.top) == .table else { return [] }
        let base = lua.top
        var names: Set<String> = []
        lua.forEachEntry(in: base) {
            if let name = lua.string(at: .belowTop) { names.insert(name) }
        }
        return names
    }

    // MARK: Students

    /// Runs every rule for one student. Failures are recorded per rule; the others stand.
    ///
    /// The rules that declare `reads_results` run last, each with the winning recommendations of
    /// the others (in output order, as `class.results` lists them) as `evaluate`'s third argument.
    func evaluate(_ student: Student) -> RuleOutcomes {
        let top = lua.top
        defer { lua.top = top }
        // Nothing a rule sees outlives its student (globals are fresh for each), so the
        // previous student's read-only proxies can serve this one.
        lua.withRecycledProxies { lua.push(student) }
        let studentSlot = lua.top
        var outcomes = RuleOutcomes()
        for rule in rules where rule.evaluatesStudents && !rule.definition.readsResults {
            collect(rule, student: student.id, into: &outcomes) { () throws(LuaFailure) in try run(rule, studentSlot: studentSlot) }
        }
        let readers = rules.filter { $0.evaluatesStudents && $0.definition.readsResults }
        guard !readers.isEmpty else { return outcomes }
        let winners = ConflictResolver.resolve(outcomes.recommendations).winners
        pushWinners(Engine.outputOrder(winners, skills: student.skills))
        let resultsSlot = lua.top
        for rule in readers {
            collect(rule, student: student.id, into: &outcomes) { () throws(LuaFailure) in
                try run(rule, studentSlot: studentSlot, resultsSlot: resultsSlot)
            }
        }
        return outcomes
    }

    /// Runs `call`; when it runs out of memory, collects everything and runs it once more.
    ///
    /// Lua's library buffers (`string.rep`, `table.concat`, `string.format`...) allocate
    /// without Lua's emergency collection, so a refusal there can be caused by garbage that
    /// earlier rules and students left. A second run on a collected heap decides on the rule's
    /// own memory alone, so the outcome never depends on who came before. The second run has
    /// what is left of the first one's time limit, not a limit of its own: together they are
    /// one call of the rule, which must not run past its limit.
    private func runCollectingIfNeeded(_ call: () throws(LuaFailure) -> Void) throws(LuaFailure) {
        let top = lua.top
        do {
            try call()
        } catch where error.kind == .memoryLimit {
            lua.top = top
            // The second run logs again what the first one did.
            if log != nil { _ = lua.takeLog() }
            lua.collectGarbage()
            lua.keepDeadlineForNextCall()
            do {
                try call()
            } catch {
                lua.collectGarbage()
                throw error
            }
        }
    }

    /// Hands what the rule's call passed to `ctx.log` (messages kept before a failure too) to the log.
    private func keepLog(of rule: LoadedRule, student: String?) {
        guard let log else { return }
        for message in lua.takeLog() { log.append(RuleLog.Message(rule: rule.definition.id, student: student, text: message)) }
    }

    /// Runs one rule through `call` and records what it returned, or how it failed; a memory
    /// failure is tried once more on a collected heap.
    private func collect(
        _ rule: LoadedRule, student: String?, into outcomes: inout RuleOutcomes,
        call: () throws(LuaFailure) -> Void
    ) {
        let top = lua.top
        defer { lua.top = top }
        do {
            try runCollectingIfNeeded(call)
        } catch {
            keepLog(of: rule, student: student)
            outcomes.errors.append(issue(for: error, rule: rule.definition, student: student))
            return
        }
        keepLog(of: rule, student: student)
        do {
            let output = try RuleOutputReader(lua: lua, rule: rule.definition, level: .student, ladders: ladders).read(at: lua.top)
            outcomes.recommendations += output.recommendations
            outcomes.notes += output.notes
        } catch {
            outcomes.errors.append(
                TrellisIssue(kind: .invalidRecommendation, student: student, rule: rule.definition.id, message: error.message, location: rule.definition.path))
        }
    }

    /// Calls the rule for the student at `studentSlot` (with the results at `resultsSlot` for a
    /// rule that reads them), leaving its result on the stack.
    private func run(_ rule: LoadedRule, studentSlot: LuaSlot, resultsSlot: LuaSlot? = nil) throws(LuaFailure) {
        switch isolation {
        case .sandboxed:
            try lua.runRule(.evaluate, chunk: rule.chunk, environment: environmentMetatable, input: studentSlot, context: rule.context, results: resultsSlot)
        case .unsandboxed:
            lua.push(rule.loadedEvaluate)
            lua.pushCopy(of: studentSlot)
            lua.push(rule.context)
            if let resultsSlot { lua.pushCopy(of: resultsSlot) }
            try lua.call(arguments: resultsSlot == nil ? 2 : 3, results: 1, guarded: false)
        }
    }

    // MARK: The class

    /// The evaluated students a class-level rule sees, and their winning recommendations.
    enum ClassStudents {
        /// A whole roster's: built as tables once, for every class-level rule.
        case whole([Student], results: [StudentResult])
        /// A streamed roster's, read back one at a time as the rules index `class.students` and
        /// `class.results`.
        case spilled(ClassSpill)
    }

    /// Runs every rule that has `evaluate_class`, once, over the evaluated students.
    ///
    /// The class table holds the class's fields, `students` (every evaluated student's table,
    /// in input order) and `results` (each student's winning recommendations, by student id).
    /// A class-level rule's instruction and time limits are the per-student ones times the
    /// number of students, its memory cap a tenth of that.
    ///
    /// With `deliver`, recommendations go to it as the rules make them (in rule order, each
    /// rule's emitted ones before those it returns) and the result holds only notes and errors.
    func evaluateClass(_ students: ClassStudents, info: ClassInfo?, deliver: ((Recommendation) -> Void)? = nil) -> ClassResult {
        switch students {
        case .whole(let students, let results):
            return runClassRules(studentCount: students.count, deliver: deliver) {
                pushClass(info: info) {
                    lua.withLightProxies { lua.pushList(students) { lua.push($0) } }
                    lua.newTable(fields: results.count)
                    for result in results {
                        // Student ids are data: pushed with their full bytes, never as C strings.
                        lua.push(result.student)
                        pushWinners(result.recommendations)
                        lua.setRawPair()
                    }
                    lua.seal()
                }
            }
        case .spilled(let spill):
            // A class of up to a few thousand students is built once for all class-level rules; a
            // larger roster is built as read and may be built again. Counted in students too: a tiny
            // student's tables take a kilobyte for a 15-byte line.
            let weak = spill.studentBytes > Self.classKeptWholeBytes || spill.count > Self.classKeptWholeStudents
            let students = LuaLazyCollection(count: spill.count, weak: weak) { [unowned self] index in
                guard let (student, packedSessions) = spill.student(at: index - 1) else { return false }
                lua.withLightProxies { lua.push(student, packedSessions: packedSessions) }
                return true
            }
            let results = LuaLazyCollection(
                count: spill.count, weak: weak,
                load: { [unowned self] index in
                    guard let recommendations = spill.recommendations(at: index - 1) else { return false }
                    pushWinners(recommendations)
                    return true
                },
                key: { [unowned self] index in lua.push(spill.ids[index - 1]) },
                find: { id in spill.index(of: id).map { $0 + 1 } })
            return withExtendedLifetime((students, results)) {
                runClassRules(studentCount: spill.count, deliver: deliver) {
                    pushClass(info: info) {
                        lua.push(students)
                        lua.push(results)
                    }
                }
            }
        }
    }

    /// Up to this many bytes of NDJSON, a streamed class's tables are kept while its class-level
    /// rules run (about 8 times as much Lua memory); beyond, memory stays flat in the roster.
    static let classKeptWholeBytes = 16 << 20
    /// Nor more than this many students: each student's tables take about a kilobyte however short
    /// its line, so 10,000 students keep about 10 MB.
    static let classKeptWholeStudents = 10_000

    private func runClassRules(studentCount: Int, deliver: ((Recommendation) -> Void)?, pushClass: () -> Void) -> ClassResult {
        let classRules = rules.filter { $0.definition.evaluatesClass }
        guard !classRules.isEmpty else { return ClassResult() }
        let top = lua.top
        defer { lua.top = top }
        pushClass()
        let classSlot = lua.top
        var result = ClassResult()
        // A class-level rule may return as much per student as a rule for one student.
        let budget = LuaState.outputBudget * max(1, studentCount)
        for rule in classRules {
            let reader = RuleOutputReader(lua: lua, rule: rule.definition, level: .class, ladders: ladders, budget: budget)
            let emission = ClassEmission(lua: lua, reader: reader) { recommendation in
                if let deliver { deliver(recommendation) } else { result.recommendations.append(recommendation) }
            }
            // What a student-level call gets from a retry on a collected heap (an outcome that does
            // not depend on who came before), a class-level call gets from a collection first:
            // what it emitted is already delivered, so it is never run twice.
            lua.collectGarbage()
            do throws(LuaFailure) {
                try emission.receiving { () throws(LuaFailure) in
                    try lua.withLimitsScaled(by: studentCount) { () throws(LuaFailure) in
                        try lua.runRule(.evaluateClass, chunk: rule.chunk, environment: environmentMetatable, input: classSlot, context: rule.context)
                    }
                }
                do {
                    emission.add(try reader.read(at: lua.top))
                } catch {
                    result.errors.append(
                        TrellisIssue(kind: .invalidRecommendation, rule: rule.definition.id, message: error.message, location: rule.definition.path))
                }
            } catch {
                result.errors.append(issue(for: error, rule: rule.definition, student: nil))
            }
            keepLog(of: rule, student: nil)
            result.notes += emission.notes
            lua.top = classSlot
        }
        return result
    }

    /// The class table: its fields, then `students` and `results` as `pushCollections` pushes them.
    private func pushClass(info: ClassInfo?, pushCollections: () -> Void) {
        lua.newTable(fields: 5)
        if let info {
            lua.set("id", info.id)
            lua.set("title", info.title)
            lua.set("staff", info.staff)
            lua.set(extra: info.extra)
        } else {
            lua.set("staff", [String]())
        }
        pushCollections()
        lua.setField("results", of: -3)
        lua.setField("students")
        lua.seal()
    }

    /// A student's winning recommendations, as `class.results` shows them.
    private func pushWinners(_ recommendations: [Recommendation]) {
        lua.pushList(recommendations) { recommendation in
            lua.newTable(fields: 8)
            lua.set("skill", recommendation.skill)
            lua.set("kind", recommendation.kind)
            lua.set("action", recommendation.action)
            lua.set("from", recommendation.from)
            lua.set("to", recommendation.to)
            lua.set("rule", recommendation.rule)
            lua.set("reason", recommendation.reason)
            lua.set("priority", recommendation.priority)
            lua.seal()
        }
    }

    private func issue(for failure: LuaFailure, rule: RuleDefinition, student: String?) -> TrellisIssue {
        let kind: TrellisIssue.Kind = switch failure.kind {
        case .memoryLimit, .instructionLimit, .timeLimit: .ruleLimit
        case .runtime, .syntax: .ruleError
        }
        return TrellisIssue(kind: kind, student: student, rule: rule.id, message: failure.message, location: failure.location ?? rule.path)
    }
}

/// What the rules produced for one student, before conflicts are resolved.
struct RuleOutcomes {
    var recommendations: [Recommendation] = []
    var notes: [RuleNote] = []
    var errors: [TrellisIssue] = []
}

/// The versions of the rule API this engine runs.
public enum RuleAPI {
    /// Rules declare `api = 1`; version 1's promises are in docs/rule-api.md.
    public static let supportedVersions: ClosedRange<Int> = 1...1

    static var versionList: String {
        supportedVersions.map(String.init).joined(separator: ", ")
    }
}
