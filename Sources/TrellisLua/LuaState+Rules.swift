import CLuaShim

/// The engine's entry points into rule code: the sandbox, loading a rule file, running a rule,
/// and the C functions a rule's `ctx` holds. Each runs under `call`, so no Lua error crosses a
/// Swift frame.
extension LuaState {
    /// Runs sandbox.lua (`source`) once with the engine's C functions and the helper library's
    /// source, handed over in one table by name, and returns the metatable of a rule's
    /// environment that it builds. sandbox.lua refuses a table missing a name it reads or
    /// holding one it does not know, so the two sides cannot drift apart unnoticed.
    package func loadSandbox(source: String, chunkName: String, helpersSource: String) throws(LuaFailure) -> LuaReference {
        try load(source, chunkName: chunkName)
        lua_createtable(state, 0, 7)
        push(helpersSource)
        lua_setfield(state, -2, "helpers_source")
        let functions: [(String, lua_CFunction)] = [
            ("setmetatable", trellis_safe_setmetatable), ("next", trellis_safe_next), ("pairs", trellis_safe_pairs),
            ("register_shared", trellis_register_shared), ("mark_read_only", trellis_mark_read_only),
        ]
        for (name, function) in functions {
            trellis_pushcfunction(state, function)
            lua_setfield(state, -2, name)
        }
        // Without read-only input there is nothing to see through: the helpers then skip the call.
        if readOnlyInput {
            trellis_pushcfunction(state, trellis_input_table)
            lua_setfield(state, -2, "input_table")
        }
        try call(arguments: 1, results: 1, guarded: false)
        return reference()
    }

    /// Runs a rule file's compiled `chunk` in a fresh environment whose metatable is
    /// `environment`, under the limits, and leaves the rule table it builds on the stack.
    package func loadRule(chunk: LuaReference, environment: LuaReference) throws(LuaFailure) {
        trellis_pushcfunction(state, trellis_load_rule)
        push(chunk)
        push(environment)
        try call(arguments: 2, results: 1, guarded: true)
    }

    /// What a rule call runs: `evaluate(student, ctx[, results])` or `evaluate_class(class, ctx)`.
    package enum RuleEntry {
        case evaluate
        case evaluateClass
    }

    /// Runs the rule file afresh in a new environment (or reuses its `evaluate` when its state
    /// provably cannot change), then `entry` on the input at `input`, the rule's `context`, and
    /// the results at `results` when given: all inside one protected C call, under the limits.
    /// Leaves the entry's first result on the stack.
    package func runRule(
        _ entry: RuleEntry, chunk: LuaReference, environment: LuaReference, input: LuaSlot, context: LuaReference, results: LuaSlot? = nil
    ) throws(LuaFailure) {
        switch entry {
        case .evaluate: trellis_pushcfunction(state, trellis_run_rule)
        case .evaluateClass: trellis_pushcfunction(state, trellis_run_class_rule)
        }
        push(chunk)
        push(environment)
        lua_pushvalue(state, input.index)
        push(context)
        if let results { lua_pushvalue(state, results.index) }
        try call(arguments: results == nil ? 4 : 5, results: 1, guarded: true)
    }

    /// The engine's functions a rule's `ctx` holds.
    package enum ContextFunction {
        /// `ctx.emit(item)`: a class-level rule's recommendation or note, handed over at once
        /// (`withEmitter`); outside a class-level call it raises an error.
        case emit
        /// `ctx.log(...)`: kept when `keepsLog` is set, a no-op otherwise.
        case log
    }

    package func push(_ function: ContextFunction) {
        switch function {
        case .emit: trellis_pushcfunction(state, trellis_emit)
        case .log: trellis_pushcfunction(state, trellis_log)
        }
    }

    /// Runs `body` with `ctx.emit` handing each item to `receive`: given the slot of the item
    /// (moved to the main thread, which a rule emitting from a coroutine is not on), it returns
    /// nil, or the message of the error `ctx.emit` then raises where the rule called it. What
    /// `receive` leaves on the stack is dropped. Outside `body`, `ctx.emit` raises.
    package func withEmitter<T>(_ receive: @escaping (LuaSlot) -> String?, _ body: () throws(LuaFailure) -> T) throws(LuaFailure) -> T {
        let emitter = Emitter(lua: self, receive: receive)
        return try withExtendedLifetime(emitter) { () throws(LuaFailure) -> T in
            control.pointee.emit_callback = Emitter.callback
            control.pointee.emit_context = Unmanaged.passUnretained(emitter).toOpaque()
            defer {
                control.pointee.emit_callback = nil
                control.pointee.emit_context = nil
            }
            return try body()
        }
    }
}

/// The host's side of `ctx.emit`, as the C function's context.
private final class Emitter {
    unowned let lua: LuaState
    let receive: (LuaSlot) -> String?

    init(lua: LuaState, receive: @escaping (LuaSlot) -> String?) {
        self.lua = lua
        self.receive = receive
    }

    static let callback: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, Int32) -> Int32 = { context, thread, index in
        guard let context, let thread else { return 0 }
        return Unmanaged<Emitter>.fromOpaque(context).takeUnretainedValue().take(from: thread, at: index)
    }

    /// Reads the item at `index` of `thread` on the main thread, where the reader works.
    private func take(from thread: OpaquePointer, at index: Int32) -> Int32 {
        let main = lua.state
        lua_checkstack(main, 40)
        lua_pushvalue(thread, index)
        if thread != main { lua_xmove(thread, main, 1) }
        let slot = lua.top
        let failure = receive(slot)
        lua.top = LuaSlot(slot.index - 1)
        guard let failure else { return 1 }
        // The C side raises it where the rule called ctx.emit.
        failure.withCString { _ = lua_pushstring(thread, $0) }
        return 0
    }
}
