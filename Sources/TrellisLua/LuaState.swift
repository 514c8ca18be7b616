import CLuaShim

/// One Lua state with the engine's allocator, budget hook and message handler.
///
/// Confined to one thread at a time: the type is not `Sendable`. Every call into Lua code
/// goes through `call`, which uses `lua_pcall` and the message handler at stack slot 1, so a
/// Lua error never unwinds a Swift frame. Nothing outside this module calls the Lua C API:
/// the engine builds and reads values through the typed methods here (raw access only, so no
/// metamethod of a rule runs while Swift is on the stack).
package final class LuaState {
    @usableFromInline let state: OpaquePointer
    let control: UnsafeMutablePointer<TrellisControl>
    /// Every chunk name loaded, to restore paths that Lua shortens to 60 characters.
    private var chunkNames: [String] = []

    /// Whether input tables are pushed as read-only proxies.
    package let readOnlyInput: Bool

    /// Chunk names of the engine's own Lua start with this; errors point past them.
    package static let engineChunkPrefix = "trellis/"

    /// The stack slot of the message handler, pushed once at creation.
    static let messageHandlerSlot: Int32 = 1

    package init(limits: LuaLimits, readOnlyInput: Bool = true) throws(LuaFailure) {
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

    /// Reports every line that rule code runs to `record` (source path, line), from the thread
    /// running the call (for rule tests; it slows evaluation).
    package func reportLines(to record: @escaping (String, Int) -> Void) {
        let hook = LineHook(record)
        lineHook = hook
        control.pointee.line_callback = LineHook.callback
        control.pointee.line_context = Unmanaged.passUnretained(hook).toOpaque()
    }

    /// Kept alive for as long as the hook may call it.
    private var lineHook: LineHook?

    deinit {
        lua_close(state)
        control.deinitialize(count: 1)
        control.deallocate()
    }

    package var limits: LuaLimits {
        LuaLimits(
            instructions: control.pointee.instruction_limit, memoryBytes: control.pointee.memory_limit,
            milliseconds: Int(control.pointee.timeout_ns / 1_000_000))
    }

    /// Runs `body` with the instruction and time limits multiplied by `factor` (and memory by
    /// a tenth of it): a class-level rule does for a whole class what a rule does for a student.
    /// The millisecond a call runs before its instruction hook is armed is scaled the same way:
    /// a class-level call over a large class runs for seconds, and a hook armed after its first
    /// millisecond would tax every instruction of the rest.
    package func withLimitsScaled<T>(by factor: Int, _ body: () throws(LuaFailure) -> T) throws(LuaFailure) -> T {
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

    /// Whether `ctx.log` keeps its messages (rule tests and explain); otherwise it does nothing.
    package var keepsLog: Bool {
        get { control.pointee.log_enabled != 0 }
        set { control.pointee.log_enabled = newValue ? 1 : 0 }
    }

    /// The messages `ctx.log` kept since the last time, which it then forgets.
    package func takeLog() -> [String] {
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
    package var freshRuleRuns: Int { Int(control.pointee.fresh_runs) }

    /// Bytes the state holds now.
    package var memoryInUse: Int { control.pointee.memory_used }

    // MARK: The registry

    /// Pops the top value into the registry and returns its reference.
    package func reference() -> LuaReference {
        LuaReference(raw: luaL_ref(state, trellis_registryindex()))
    }

    /// Pushes the value `reference` holds (nil for `.none`).
    package func push(_ reference: LuaReference) {
        lua_rawgeti(state, trellis_registryindex(), lua_Integer(reference.raw))
    }

    /// Lets the registry forget `reference`'s value.
    package func release(_ reference: LuaReference) {
        guard reference != .none else { return }
        luaL_unref(state, trellis_registryindex(), reference.raw)
    }

    // MARK: Calls

    /// Compiles text (never bytecode) and pushes the chunk.
    package func load(_ source: String, chunkName: String) throws(LuaFailure) {
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
    package func call(arguments: Int32, results: Int32, guarded: Bool) throws(LuaFailure) {
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
        default: "used more than \(Self.megabytes(control.pointee.memory_limit)) MB of memory"
        }
        return LuaFailure(kind: kind, message: message, location: location)
    }

    /// `64` for a whole number of megabytes, `0.5` otherwise.
    private static func megabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / 1_048_576
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A full collection: rule garbage from one student must not count against the next.
    package func collectGarbage() { trellis_full_gc(state) }

    /// The next guarded call keeps the deadline of the last one instead of starting its own: a
    /// retry of the same rule call is not a second time limit.
    package func keepDeadlineForNextCall() { control.pointee.keep_deadline = 1 }
}

/// The closure behind the coverage line hook, as the C hook's context.
private final class LineHook {
    let record: (String, Int) -> Void

    init(_ record: @escaping (String, Int) -> Void) { self.record = record }

    static let callback: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int32) -> Void = { context, source, line in
        guard let context, let source else { return }
        var path = String(cString: source)
        guard path.hasPrefix("@") else { return }
        path.removeFirst()
        Unmanaged<LineHook>.fromOpaque(context).takeUnretainedValue().record(path, Int(line))
    }
}
