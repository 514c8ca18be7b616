import CLuaShim

/// Why a call into Lua failed.
struct LuaFailure: Error {
    enum Kind {
        /// The code raised an error (or `error()` was called).
        case runtime
        /// The code asked for more memory than its cap.
        case memoryLimit
        /// The code ran past its instruction budget.
        case instructionLimit
        /// The code ran past its wall-clock deadline.
        case timeLimit
        /// The chunk does not compile.
        case syntax
    }

    var kind: Kind
    var message: String
    /// `file:line` where it happened, when known.
    var location: String?
    var traceback: String?
}

/// What one rule may spend on one student (and on loading). Zero means no limit.
public struct RuleLimits: Sendable, Hashable {
    /// Lua VM instructions, counted by a hook that `pcall` and coroutines cannot escape.
    public var instructions: Int64
    /// Bytes of Lua memory the state may hold while rule code runs.
    public var memoryBytes: Int
    /// Wall-clock milliseconds.
    public var milliseconds: Int

    /// The defaults: 10 million instructions, 64 MB, one second.
    public init(instructions: Int64 = 10_000_000, memoryBytes: Int = 64 << 20, milliseconds: Int = 1000) {
        self.instructions = instructions
        self.memoryBytes = memoryBytes
        self.milliseconds = milliseconds
    }

    /// No limits at all.
    public static let none = RuleLimits(instructions: 0, memoryBytes: 0, milliseconds: 0)
}

/// One Lua state with the engine's allocator, budget hook and message handler.
///
/// Confined to one thread at a time: the type is not `Sendable`. Every call into Lua code
/// goes through `call`, which uses `lua_pcall` and the message handler at stack slot 1, so a
/// Lua error never unwinds a Swift frame.
final class LuaState {
    let state: OpaquePointer
    private let control: UnsafeMutablePointer<TrellisControl>
    /// Every chunk name loaded, to restore paths that Lua shortens to 60 characters.
    private var chunkNames: [String] = []

    /// Whether input tables are pushed as read-only proxies.
    let readOnlyInput: Bool

    /// Chunk names of the engine's own Lua start with this; errors point past them.
    static let engineChunkPrefix = "trellis/"

    /// The stack slot of the message handler, pushed once at creation.
    static let messageHandlerSlot: Int32 = 1

    init(limits: RuleLimits, readOnlyInput: Bool = true) throws(LuaFailure) {
        self.readOnlyInput = readOnlyInput
        control = UnsafeMutablePointer<TrellisControl>.allocate(capacity: 1)
        control.initialize(to: TrellisControl())
        control.pointee.memory_limit = limits.memoryBytes
        control.pointee.instruction_limit = limits.instructions
        control.pointee.timeout_ns = Int64(limits.milliseconds) * 1_000_000
        guard let state = trellis_newstate(control) else {
            control.deallocate()
            throw LuaFailure(kind: .memoryLimit, message: "could not create a Lua state: out of memory")
        }
        self.state = state
        guard trellis_open_rule_libraries(state) == LUA_OK else {
            let message = string(at: -1) ?? "unknown error"
            throw LuaFailure(kind: .runtime, message: "could not open the Lua libraries: \(message)")
        }
        trellis_pushcfunction(state, trellis_message_handler)
        precondition(lua_gettop(state) == Self.messageHandlerSlot)
    }

    /// Reports every line that rule code runs to `recorder` (for rule tests; it slows evaluation).
    func enableCoverage(_ recorder: CoverageRecorder) {
        coverage = recorder
        control.pointee.line_callback = CoverageRecorder.lineCallback
        control.pointee.line_context = Unmanaged.passUnretained(recorder).toOpaque()
    }

    /// Kept alive for as long as the hook may call it.
    private var coverage: CoverageRecorder?

    deinit {
        lua_close(state)
        control.deinitialize(count: 1)
        control.deallocate()
    }

    var limits: RuleLimits {
        RuleLimits(
            instructions: control.pointee.instruction_limit, memoryBytes: control.pointee.memory_limit,
            milliseconds: Int(control.pointee.timeout_ns / 1_000_000))
    }

    /// Runs `body` with the instruction and time limits multiplied by `factor` (and memory by
    /// a tenth of it): a class-level rule does for a whole class what a rule does for a student.
    /// The millisecond a call runs before its instruction hook is armed is scaled the same way:
    /// a class-level call over a large class runs for seconds, and a hook armed after its first
    /// millisecond would tax every instruction of the rest.
    func withLimitsScaled<T>(by factor: Int, _ body: () throws(LuaFailure) -> T) throws(LuaFailure) -> T {
        let saved = control.pointee
        let factor = max(1, factor)
        control.pointee.instruction_limit = saved.instruction_limit.multipliedReportingOverflow(by: Int64(factor)).partialValue
        control.pointee.timeout_ns = saved.timeout_ns.multipliedReportingOverflow(by: Int64(factor)).partialValue
        control.pointee.memory_limit = saved.memory_limit.multipliedReportingOverflow(by: max(1, factor / 10)).partialValue
        control.pointee.arm_after_ns = Int64(1_000_000).multipliedReportingOverflow(by: Int64(factor)).partialValue
        defer {
            control.pointee.arm_after_ns = saved.arm_after_ns
            control.pointee.instruction_limit = saved.instruction_limit
            control.pointee.timeout_ns = saved.timeout_ns
            control.pointee.memory_limit = saved.memory_limit
        }
        return try body()
    }

    /// The host's side of `ctx.emit`: given the context, the thread and the stack slot of the
    /// item; returns 1, or 0 with an error message pushed on that thread.
    typealias EmitCallback = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, Int32) -> Int32

    /// Runs `body` with `ctx.emit` handing items to `callback`; outside, `ctx.emit` raises.
    func withEmitter<T>(_ callback: EmitCallback, context: UnsafeMutableRawPointer, _ body: () throws(LuaFailure) -> T) throws(LuaFailure) -> T {
        control.pointee.emit_callback = callback
        control.pointee.emit_context = context
        defer {
            control.pointee.emit_callback = nil
            control.pointee.emit_context = nil
        }
        return try body()
    }

    /// Whether `ctx.log` keeps its messages (rule tests and explain); otherwise it does nothing.
    var keepsLog: Bool {
        get { control.pointee.log_enabled != 0 }
        set { control.pointee.log_enabled = newValue ? 1 : 0 }
    }

    /// The messages `ctx.log` kept since the last time, which it then forgets.
    func takeLog() -> [String] {
        trellis_take_log(state)
        defer { pop() }
        guard lua_type(state, -1) == LUA_TTABLE else { return [] }
        var messages: [String] = []
        let count = lua_Integer(lua_rawlen(state, -1))
        for index in 1...max(1, count) where index <= count {
            lua_rawgeti(state, -1, index)
            messages.append(string(at: -1) ?? "")
            pop()
        }
        return messages
    }

    /// How many times a rule file ran afresh for a call of `evaluate` (the rest reused it).
    var freshRuleRuns: Int { Int(control.pointee.fresh_runs) }

    /// Bytes the state holds now.
    var memoryInUse: Int { control.pointee.memory_used }

    // MARK: Stack

    var top: Int32 {
        get { lua_gettop(state) }
        set { lua_settop(state, newValue) }
    }

    func pop(_ count: Int32 = 1) { trellis_pop(state, count) }

    func type(at index: Int32) -> Int32 { lua_type(state, index) }

    /// The string at `index`, only when it is a string (numbers are not converted in place).
    func string(at index: Int32) -> String? {
        guard lua_type(state, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let pointer = trellis_tostring(state, index, &length) else { return nil }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Pushes `table[key]` without metamethods and returns its Lua type.
    @discardableResult
    func rawField(_ key: String, of table: Int32) -> Int32 {
        let absolute = lua_absindex(state, table)
        push(key)
        return lua_rawget(state, absolute)
    }

    // MARK: Pushing values

    func push(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(state, $0.baseAddress, $0.count) }
        }
    }

    func push(_ integer: Int) { lua_pushinteger(state, lua_Integer(integer)) }

    func push(_ value: JSONValue) {
        // Input is at most 32 levels deep (FieldReader.maximumExtraDepth); grow the stack anyway.
        guard lua_checkstack(state, 4) != 0 else {
            lua_pushnil(state)
            return
        }
        switch value {
        case .null: lua_pushnil(state)
        case .bool(let flag): lua_pushboolean(state, flag ? 1 : 0)
        case .integer(let integer): lua_pushinteger(state, integer)
        case .number(let number): lua_pushnumber(state, number)
        case .string(let string): push(string)
        case .array(let elements):
            lua_createtable(state, Int32(clamping: elements.count), 0)
            for (index, element) in elements.enumerated() {
                push(element)
                lua_rawseti(state, -2, lua_Integer(index + 1))
            }
            seal()
        case .object(let members):
            lua_createtable(state, 0, Int32(clamping: members.count))
            for (key, member) in members {
                setRaw(key, member)
            }
            seal()
        }
    }

    /// Makes the input table at the top of the stack read-only, when this state does that.
    /// Call it after the table's nested tables were sealed: sealing goes bottom-up.
    func seal() {
        if readOnlyInput { trellis_make_readonly(state) }
    }

    /// Runs `body` (which pushes input) reusing the read-only proxies the previous `body` made,
    /// in the same order: only for input that nothing keeps once the next one is pushed.
    func withRecycledProxies(_ body: () -> Void) {
        trellis_proxy_pool_begin(state)
        defer { trellis_proxy_pool_end(state) }
        body()
    }

    /// Runs `body` (which pushes one table of input) making light read-only proxies: the table
    /// is built raw and wrapped in one light proxy, and its nested tables are sealed as rules
    /// read them. Cheap to make, dearer to read through: for input made often and read little.
    func withLightProxies(_ body: () -> Void) {
        trellis_light_proxies(state, 1)
        body()
        trellis_light_proxies(state, 0)
        if readOnlyInput { trellis_seal_light(state) }
    }

    /// Pushes the table behind a read-only proxy (or the value itself) and returns its index.
    func pushUnwrapped(_ index: Int32) -> Int32 {
        trellis_push_unwrapped(state, index)
        return top
    }

    /// Pushes a list of strings as a Lua sequence.
    func push(_ strings: [String]) {
        lua_createtable(state, Int32(clamping: strings.count), 0)
        for (index, string) in strings.enumerated() {
            push(string)
            lua_rawseti(state, -2, lua_Integer(index + 1))
        }
        seal()
    }

    /// Sets `table[key] = value` on the table at the top of the stack; nil values are left out.
    func set(_ key: String, _ value: String?) {
        guard let value else { return }
        push(value)
        lua_setfield(state, -2, key)
    }

    func set(_ key: String, _ value: Int?) {
        guard let value else { return }
        lua_pushinteger(state, lua_Integer(value))
        lua_setfield(state, -2, key)
    }

    func set(_ key: String, _ value: Double?) {
        guard let value else { return }
        lua_pushnumber(state, value)
        lua_setfield(state, -2, key)
    }

    func set(_ key: String, _ strings: [String]) {
        push(strings)
        lua_setfield(state, -2, key)
    }

    /// Copies fields beyond the contract onto the table at the top of the stack.
    func set(extra: [String: JSONValue]) {
        for (key, value) in extra {
            setRaw(key, value)
        }
    }

    /// Sets `table[key] = value` on the table at the top of the stack with the key's full bytes:
    /// a key from the input may hold a NUL, which a C string would cut short (and so overwrite
    /// a validated field such as `id`).
    func setRaw(_ key: String, _ value: JSONValue) {
        push(key)
        push(value)
        lua_rawset(state, -3)
    }

    // MARK: The registry

    /// Pops the top value into the registry and returns its reference.
    func reference() -> Int32 {
        luaL_ref(state, trellis_registryindex())
    }

    func pushReference(_ reference: Int32) {
        lua_rawgeti(state, trellis_registryindex(), lua_Integer(reference))
    }

    // MARK: Calls

    /// Compiles text (never bytecode) and pushes the chunk.
    func load(_ source: String, chunkName: String) throws(LuaFailure) {
        var source = source
        let status = source.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { trellis_loadtext(state, $0.baseAddress, $0.count, "@" + chunkName) }
        }
        chunkNames.append(chunkName)
        guard status == LUA_OK else {
            var failure = LuaFailure.fromMessage(string(at: -1) ?? "could not compile", kind: status == LUA_ERRMEM ? .memoryLimit : .syntax)
            failure.location = failure.location.map(fullLocation)
            pop()
            throw failure
        }
    }

    /// Calls the function below `arguments` values in protected mode, leaving `results` values.
    /// With `guarded`, the instruction budget and the memory cap apply for the call's duration.
    func call(arguments: Int32, results: Int32, guarded: Bool) throws(LuaFailure) {
        if guarded { trellis_begin_guarded(state) }
        let status = trellis_pcall(state, arguments, results, Self.messageHandlerSlot)
        if guarded { trellis_end_guarded(state) }
        let limitReached = limitReached()
        if status == LUA_OK {
            guard guarded, let limitReached else { return }
            // The rule caught the limit's error and carried on: it still failed.
            pop(results)
            throw limitFailure(limitReached, location: nil)
        }
        defer { pop() }
        var failure: LuaFailure
        if lua_type(state, -1) == LUA_TTABLE {
            // The message handler's { message, location, traceback }.
            rawField("message", of: -1)
            let message = string(at: -1) ?? "unknown error"
            pop()
            rawField("location", of: -1)
            let location = string(at: -1)
            pop()
            rawField("traceback", of: -1)
            let traceback = string(at: -1)
            pop()
            failure = LuaFailure.fromMessage(message, kind: .runtime)
            if let inEngine = failure.location, inEngine.hasPrefix(Self.engineChunkPrefix) {
                // Raised inside the engine's Lua: name the rule's line. A helper's own line helps
                // the author; the sandbox's wrappers around library functions do not.
                if !inEngine.hasPrefix(Self.engineChunkPrefix + "sandbox.lua") { failure.message += " (in \(inEngine))" }
                failure.location = location
            }
            failure.location = (failure.location ?? location).map(fullLocation)
            failure.traceback = traceback
        } else {
            failure = LuaFailure.fromMessage(string(at: -1) ?? "error in error handling", kind: .runtime)
        }
        if let limitReached {
            throw limitFailure(limitReached, location: failure.location)
        }
        if status == LUA_ERRMEM {
            throw limitFailure(.memoryLimit, location: failure.location)
        }
        throw failure
    }

    /// Lua shortens a long chunk name in messages to `...` and its last 56 characters.
    private func fullLocation(_ location: String) -> String {
        guard location.hasPrefix("..."), let colon = location.lastIndex(of: ":") else { return location }
        let tail = location[location.index(location.startIndex, offsetBy: 3)..<colon]
        guard let name = chunkNames.first(where: { $0.hasSuffix(tail) }) else { return location }
        return name + location[colon...]
    }

    /// The limit the last guarded call ran into, if any.
    private func limitReached() -> LuaFailure.Kind? {
        if control.pointee.budget_exhausted != 0 { return .instructionLimit }
        if control.pointee.deadline_passed != 0 { return .timeLimit }
        if control.pointee.memory_exceeded != 0 { return .memoryLimit }
        return nil
    }

    private func limitFailure(_ kind: LuaFailure.Kind, location: String?) -> LuaFailure {
        let message = switch kind {
        case .instructionLimit: "ran more than \(control.pointee.instruction_limit) instructions"
        case .timeLimit: "ran longer than \(control.pointee.timeout_ns / 1_000_000) ms"
        default: "used more than \(JSONText.number(Double(control.pointee.memory_limit) / 1_048_576)) MB of memory"
        }
        return LuaFailure(kind: kind, message: message, location: location)
    }

    /// A full collection: rule garbage from one student must not count against the next.
    func collectGarbage() { trellis_full_gc(state) }

    /// The next guarded call keeps the deadline of the last one instead of starting its own: a
    /// retry of the same rule call is not a second time limit.
    func keepDeadlineForNextCall() { control.pointee.keep_deadline = 1 }
}

extension LuaFailure {
    /// Longer messages are cut: an error is for reading, and a rule must not fill a report.
    static let maximumMessageLength = 2000

    /// Splits Lua's `chunk:line: message` into the location and the message.
    static func fromMessage(_ fullText: String, kind: Kind) -> LuaFailure {
        var text = fullText
        if text.utf8.count > maximumMessageLength {
            let kept = String(decoding: text.utf8.prefix(maximumMessageLength), as: UTF8.self)
            text = kept + "... (\(fullText.utf8.count - kept.utf8.count) more bytes)"
        }
        // Lua prefixes errors with "source:line: "; sources here are file paths.
        if let colon = text.firstRange(of: ": "), let lineColon = text[..<colon.lowerBound].lastIndex(of: ":") {
            let line = text[text.index(after: lineColon)..<colon.lowerBound]
            if !line.isEmpty, line.allSatisfy(\.isNumber) {
                return LuaFailure(kind: kind, message: String(text[colon.upperBound...]), location: String(text[..<colon.lowerBound]))
            }
        }
        return LuaFailure(kind: kind, message: text, location: nil)
    }
}
