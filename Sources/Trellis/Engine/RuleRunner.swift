import CLuaShim

/// Runs a rule pack in one Lua state: loads the rules once, then evaluates students one by one.
///
/// Not `Sendable`: each worker owns its own runner. Each student's table is built once and
/// handed to every rule; each rule runs its file afresh for each student, so no global or
/// module-level local carries over from one student to the next.
final class RuleRunner {
    private let lua: LuaState
    private(set) var rules: [LoadedRule] = []
    private let environmentMetatable: Int32
    private let isolation: Engine.Isolation
    private var ladders = Ladders()
    /// Where `ctx.log`'s messages go; nil: `ctx.log` does nothing (reports never show them).
    private let log: RuleLog?

    struct LoadedRule {
        var definition: RuleDefinition
        /// The compiled chunk, in the registry.
        var chunk: Int32
        /// The `evaluate` of the rule table built at load time, in the registry; used only
        /// without the sandbox, where the file does not run again for each student.
        var loadedEvaluate: Int32
        /// The rule's `ctx` table for the current class, in the registry.
        var context: Int32 = LUA_NOREF
    }

    /// How many times a rule file ran afresh for a student (the others reused its `evaluate`).
    var freshRuleRuns: Int { lua.freshRuleRuns }

    /// Loads the engine's Lua and every rule; throws every problem found, each with file:line.
    init(
        pack: RulePack, limits: RuleLimits, isolation: Engine.Isolation = .sandboxed, coverage: CoverageRecorder? = nil, log: RuleLog? = nil
    ) throws(RulePackError) {
        self.isolation = isolation
        self.log = log
        do {
            lua = isolation == .sandboxed ? try LuaState(limits: limits) : try LuaState(limits: .none, readOnlyInput: false)
            if let coverage { lua.enableCoverage(coverage) }
            lua.keepsLog = log != nil
            environmentMetatable = try Self.loadEngineLua(into: lua)
        } catch {
            throw RulePackError(issues: [TrellisIssue(kind: .invalidRule, message: "the engine's Lua failed to load: \(error.message)", location: error.location)])
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
        guard problems.isEmpty else { throw RulePackError(issues: problems) }
    }

    private static func loadEngineLua(into lua: LuaState) throws(LuaFailure) -> Int32 {
        func source(_ name: String) -> String {
            EmbeddedLua.engineSources.first { $0.name == name }?.source ?? ""
        }
        try lua.load(source("sandbox.lua"), chunkName: "trellis/sandbox.lua")
        lua.push(source("helpers.lua"))
        trellis_pushcfunction(lua.state, trellis_safe_setmetatable)
        trellis_pushcfunction(lua.state, trellis_safe_next)
        trellis_pushcfunction(lua.state, trellis_register_shared)
        trellis_pushcfunction(lua.state, trellis_mark_read_only)
        // Without read-only input there is nothing to see through: the helpers then skip the call.
        if lua.readOnlyInput {
            trellis_pushcfunction(lua.state, trellis_input_table)
        } else {
            lua_pushnil(lua.state)
        }
        trellis_pushcfunction(lua.state, trellis_safe_pairs)
        try lua.call(arguments: 7, results: 1, guarded: false)
        return lua.reference()
    }

    // MARK: Loading rules

    private func load(_ source: RuleSource) throws(RulePackError) -> LoadedRule {
        let top = lua.top
        defer { lua.top = top }
        func problem(_ message: String, location: String? = nil, rule: String? = nil) -> RulePackError {
            RulePackError(issues: [TrellisIssue(kind: .invalidRule, rule: rule, message: message, location: location ?? source.path)])
        }
        do {
            try lua.load(source.source, chunkName: source.path)
        } catch {
            throw problem(error.message, location: error.location)
        }
        lua_pushvalue(lua.state, -1)
        let chunk = lua.reference()
        trellis_pushcfunction(lua.state, trellis_load_rule)
        lua.pushReference(chunk)
        lua.pushReference(environmentMetatable)
        do {
            try lua.call(arguments: 2, results: 1, guarded: true)
        } catch {
            throw problem("loading the rule failed: \(error.message)", location: error.location)
        }
        let table = lua.top
        guard lua.rawField("id", of: table) == LUA_TSTRING, let id = lua.string(at: -1), !id.isEmpty else {
            throw problem("the rule table needs an id: a non-empty string, such as id = \"my-rule\"")
        }
        lua.pop()
        var definition = RuleDefinition(id: id, path: source.path)
        // Each problem with the field it is about, to point at the line that sets it.
        var problems: [(message: String, field: String?)] = []

        switch lua.rawField("description", of: table) {
        case LUA_TNIL: break
        case LUA_TSTRING: definition.description = lua.string(at: -1)
        default: problems.append(("description must be a string", "description"))
        }
        lua.pop()
        switch lua.rawField("priority", of: table) {
        case LUA_TNIL: break
        case LUA_TNUMBER:
            let priority = trellis_tonumber(lua.state, -1, nil)
            if let problem = RuleOutputReader.priorityProblem(priority) {
                problems.append((problem, "priority"))
            } else {
                definition.priority = priority
            }
        default: problems.append(("priority must be a number, got a \(typeName(at: -1))", "priority"))
        }
        lua.pop()
        switch lua.rawField("api", of: table) {
        case LUA_TNIL: break
        case LUA_TNUMBER where trellis_isinteger(lua.state, -1) != 0:
            let version = Int(trellis_tointeger(lua.state, -1, nil))
            if RuleAPI.supportedVersions.contains(version) {
                definition.api = version
            } else {
                problems.append(("rule API version \(version) is not supported (this Trellis supports \(RuleAPI.versionList))", "api"))
            }
        default: problems.append(("api must be a whole number, such as api = 1", "api"))
        }
        lua.pop()
        if lua.rawField("evaluate", of: table) != LUA_TFUNCTION {
            problems.append(("the rule table needs evaluate = function(student, ctx) ... end", nil))
        }
        lua.pop()
        switch lua.rawField("evaluate_class", of: table) {
        case LUA_TNIL: break
        case LUA_TFUNCTION: definition.evaluatesClass = true
        default: problems.append(("evaluate_class must be a function", "evaluate_class"))
        }
        lua.pop()
        switch lua.rawField("reads_results", of: table) {
        case LUA_TNIL: break
        case LUA_TBOOLEAN: definition.readsResults = lua_toboolean(lua.state, -1) != 0
        default: problems.append(("reads_results must be true or false, got a \(typeName(at: -1))", "reads_results"))
        }
        lua.pop()
        switch lua.rawField("params", of: table) {
        case LUA_TNIL: break
        case LUA_TTABLE: definition.parameters = readParameters(at: lua.top, problems: &problems)
        default: problems.append(("params must be a table of name = default or name = { default = ..., type = ... }", "params"))
        }
        lua.pop()
        guard problems.isEmpty else {
            throw RulePackError(issues: problems.map { problem in
                let line = problem.field.flatMap { SourceLines.line(assigning: $0, in: source.source) }
                return TrellisIssue(kind: .invalidRule, rule: id, message: problem.message, location: source.path + (line.map { ":\($0)" } ?? ""))
            })
        }
        lua.rawField("evaluate", of: table)
        return LoadedRule(definition: definition, chunk: chunk, loadedEvaluate: lua.reference())
    }

    private func typeName(at index: Int32) -> String {
        String(cString: lua_typename(lua.state, lua.type(at: index)))
    }

    private func readParameters(at table: Int32, problems: inout [(message: String, field: String?)]) -> [RuleParameter] {
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
        for index in rules.indices where rules[index].context != LUA_NOREF {
            luaL_unref(lua.state, trellis_registryindex(), rules[index].context)
        }
        lua.push(context.ladders)
        let laddersSlot = lua.top
        lua.pushList(context.catalog) { lua.push($0) }
        let catalogSlot = lua.top
        if let info = context.classInfo { lua.push(info) } else { lua_pushnil(lua.state) }
        let classSlot = lua.top
        for index in rules.indices {
            let definition = rules[index].definition
            lua_createtable(lua.state, 0, 7)
            lua.set("as_of", context.asOf)
            for (key, slot) in [("ladders", laddersSlot), ("catalog", catalogSlot), ("class", classSlot)] {
                lua_pushvalue(lua.state, slot)
                lua_setfield(lua.state, -2, key)
            }
            lua_createtable(lua.state, 0, 1)
            lua.set("id", definition.id)
            lua.seal()
            lua_setfield(lua.state, -2, "rule")
            lua.push(.object(parameterValues[definition.id] ?? [:]))
            lua_setfield(lua.state, -2, "params")
            trellis_pushcfunction(lua.state, trellis_emit)
            lua_setfield(lua.state, -2, "emit")
            trellis_pushcfunction(lua.state, trellis_log)
            lua_setfield(lua.state, -2, "log")
            lua.seal()
            rules[index].context = lua.reference()
        }
    }

    /// The names a rule's environment holds (the sandbox's base table), for `RuleGlobals`.
    func sandboxGlobals() -> Set<String> {
        let top = lua.top
        defer { lua.top = top }
        lua.pushReference(environmentMetatable)
        guard lua.rawField("__index", of: lua.top) == LUA_TTABLE else { return [] }
        let base = lua.top
        var names: Set<String> = []
        lua_pushnil(lua.state)
        while lua_next(lua.state, base) != 0 {
            if let name = lua.string(at: -2) { names.insert(name) }
            lua.pop()
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
        for rule in rules where !rule.definition.readsResults {
            collect(rule, student: student.id, into: &outcomes) { () throws(LuaFailure) in try run(rule, studentSlot: studentSlot) }
        }
        let readers = rules.filter(\.definition.readsResults)
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

    /// The rule file runs afresh in a new environment, then the function `runner` names, on the
    /// input at `inputSlot` (and the results at `resultsSlot`, when given): all inside one
    /// protected C call, under the limits.
    private func callSandboxed(_ runner: lua_CFunction, rule: LoadedRule, inputSlot: Int32, resultsSlot: Int32? = nil) throws(LuaFailure) {
        trellis_pushcfunction(lua.state, runner)
        lua.pushReference(rule.chunk)
        lua.pushReference(environmentMetatable)
        lua_pushvalue(lua.state, inputSlot)
        lua.pushReference(rule.context)
        if let resultsSlot { lua_pushvalue(lua.state, resultsSlot) }
        try lua.call(arguments: resultsSlot == nil ? 4 : 5, results: 1, guarded: true)
    }

    /// Calls the rule for the student at `studentSlot` (with the results at `resultsSlot` for a
    /// rule that reads them), leaving its result on the stack.
    private func run(_ rule: LoadedRule, studentSlot: Int32, resultsSlot: Int32? = nil) throws(LuaFailure) {
        switch isolation {
        case .sandboxed:
            try callSandboxed(trellis_run_rule, rule: rule, inputSlot: studentSlot, resultsSlot: resultsSlot)
        case .unsandboxed:
            lua.pushReference(rule.loadedEvaluate)
            lua_pushvalue(lua.state, studentSlot)
            lua.pushReference(rule.context)
            if let resultsSlot { lua_pushvalue(lua.state, resultsSlot) }
            try lua.call(arguments: resultsSlot == nil ? 2 : 3, results: 1, guarded: false)
        }
    }

    // MARK: The class

    /// Runs every rule that has `evaluate_class`, once, over the evaluated students.
    ///
    /// The class table holds the class's fields, `students` (every evaluated student's table,
    /// in input order) and `results` (each student's winning recommendations, by student id).
    /// A class-level rule's instruction and time limits are the per-student ones times the
    /// number of students, its memory cap a tenth of that.
    ///
    /// With `deliver`, recommendations go to it as the rules make them (in rule order, each
    /// rule's emitted ones before those it returns) and the result holds only notes and errors.
    func evaluateClass(_ students: [Student], results: [StudentResult], info: ClassInfo?, deliver: ((Recommendation) -> Void)? = nil) -> ClassResult {
        runClassRules(studentCount: students.count, deliver: deliver) {
            pushClass(info: info) {
                lua.withLightProxies { lua.pushList(students) { lua.push($0) } }
                lua_createtable(lua.state, 0, Int32(clamping: results.count))
                for result in results {
                    // Student ids are data: pushed with their full bytes, never as C strings.
                    lua.push(result.student)
                    pushWinners(result.recommendations)
                    lua_rawset(lua.state, -3)
                }
                lua.seal()
            }
        }
    }

    /// The same over a streamed roster's students, which are read back one at a time as the
    /// class-level rules index `class.students` and `class.results`.
    func evaluateClass(_ spill: ClassSpill, info: ClassInfo?, deliver: ((Recommendation) -> Void)? = nil) -> ClassResult {
        let source = LazyClassSource(runner: self, spill: spill)
        return withExtendedLifetime(source) {
            let context = Unmanaged.passUnretained(source).toOpaque()
            return runClassRules(studentCount: spill.count, deliver: deliver) {
                pushClass(info: info) {
                    // A class of up to a few thousand students is built once for all class-level
                    // rules; a larger roster is built as read and may be built again. Counted in
                    // students too: a tiny student's tables take a kilobyte for a 15-byte line.
                    let weak: Int32 = spill.studentBytes > Self.classKeptWholeBytes || spill.count > Self.classKeptWholeStudents ? 1 : 0
                    var students = TrellisLazySpec(
                        count: lua_Integer(spill.count), load: LazyClassSource.loadStudent, key: nil, find: nil, context: context, weak: weak)
                    trellis_push_lazy(lua.state, &students)
                    var results = TrellisLazySpec(
                        count: lua_Integer(spill.count), load: LazyClassSource.loadResult, key: LazyClassSource.pushID, find: LazyClassSource.find,
                        context: context, weak: weak)
                    trellis_push_lazy(lua.state, &results)
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
                        try callSandboxed(trellis_run_class_rule, rule: rule, inputSlot: classSlot)
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
        lua_createtable(lua.state, 0, 5)
        if let info {
            lua.set("id", info.id)
            lua.set("title", info.title)
            lua.set("staff", info.staff)
            lua.set(extra: info.extra)
        } else {
            lua.set("staff", [String]())
        }
        pushCollections()
        lua_setfield(lua.state, -3, "results")
        lua_setfield(lua.state, -2, "students")
        lua.seal()
    }

    /// A student's winning recommendations, as `class.results` shows them.
    fileprivate func pushWinners(_ recommendations: [Recommendation]) {
        lua.pushList(recommendations) { recommendation in
            lua_createtable(lua.state, 0, 8)
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

    fileprivate func push(_ student: Student) { lua.push(student) }

    /// A class's student: made for every class-level rule that reads it, read little.
    fileprivate func pushClassStudent(_ student: Student, packedSessions: [ArraySlice<UInt8>?]) {
        lua.withLightProxies { lua.push(student, packedSessions: packedSessions) }
    }
    fileprivate func push(string: String) { lua.push(string) }

    /// Pushes onto the main thread, then moves the value to `thread` (a rule may read the class
    /// from inside a coroutine).
    fileprivate func pushOnto(_ thread: OpaquePointer, _ push: () -> Void) {
        lua_checkstack(lua.state, 40)
        push()
        if thread != lua.state { lua_xmove(lua.state, thread, 1) }
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

/// The callbacks behind the lazy `class.students` and `class.results` of a streamed roster.
private final class LazyClassSource {
    let runner: RuleRunner
    let spill: ClassSpill

    init(runner: RuleRunner, spill: ClassSpill) {
        self.runner = runner
        self.spill = spill
    }

    private static func source(_ context: UnsafeMutableRawPointer?) -> LazyClassSource {
        Unmanaged<LazyClassSource>.fromOpaque(context!).takeUnretainedValue()
    }

    static let loadStudent: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, lua_Integer) -> Int32 = { context, thread, index in
        let source = source(context)
        guard let thread, let (student, packedSessions) = source.spill.student(at: Int(index) - 1) else { return 0 }
        source.runner.pushOnto(thread) { source.runner.pushClassStudent(student, packedSessions: packedSessions) }
        return 1
    }

    static let loadResult: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, lua_Integer) -> Int32 = { context, thread, index in
        let source = source(context)
        guard let thread, let recommendations = source.spill.recommendations(at: Int(index) - 1) else { return 0 }
        source.runner.pushOnto(thread) { source.runner.pushWinners(recommendations) }
        return 1
    }

    static let pushID: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, lua_Integer) -> Void = { context, thread, index in
        let source = source(context)
        guard let thread else { return }
        source.runner.pushOnto(thread) { source.runner.push(string: source.spill.ids[Int(index) - 1]) }
    }

    static let find: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, Int32) -> lua_Integer = { context, thread, slot in
        let source = source(context)
        guard let thread, lua_type(thread, slot) == LUA_TSTRING else { return 0 }
        var length = 0
        guard let bytes = trellis_tostring(thread, slot, &length) else { return 0 }
        let id = String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
        return source.spill.index(of: id).map { lua_Integer($0 + 1) } ?? 0
    }
}
