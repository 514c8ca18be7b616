import CLuaShim

/// What one class-level rule call produces: the items it hands to `ctx.emit` as it goes, then
/// the list it returns. Recommendations go to `deliver` at once, so a rule that recommends
/// something for every student of a district holds none of them, and neither does the engine.
final class ClassEmission {
    private let lua: LuaState
    let reader: RuleOutputReader
    private let deliver: (Recommendation) -> Void
    private(set) var notes: [RuleNote] = []
    /// Items `ctx.emit` was given, valid or not: numbers the next one in error messages.
    private(set) var emittedItems = 0

    init(lua: LuaState, reader: RuleOutputReader, deliver: @escaping (Recommendation) -> Void) {
        self.lua = lua
        self.reader = reader
        self.deliver = deliver
    }

    /// Runs `body` with `ctx.emit` feeding this emission.
    func receiving<T>(_ body: () throws(LuaFailure) -> T) throws(LuaFailure) -> T {
        try withExtendedLifetime(self) { () throws(LuaFailure) -> T in
            try lua.withEmitter(Self.callback, context: Unmanaged.passUnretained(self).toOpaque(), body)
        }
    }

    /// Adds what the rule returned, after what it emitted.
    func add(_ output: (recommendations: [Recommendation], notes: [RuleNote])) {
        output.recommendations.forEach(deliver)
        notes += output.notes
    }

    private static let callback: LuaState.EmitCallback = { context, thread, index in
        guard let context, let thread else { return 0 }
        return Unmanaged<ClassEmission>.fromOpaque(context).takeUnretainedValue().take(from: thread, at: index)
    }

    /// Reads the item at `index` of `thread` (the rule may emit from a coroutine) on the main
    /// thread, where the reader works.
    private func take(from thread: OpaquePointer, at index: Int32) -> Int32 {
        let main = lua.state
        lua_checkstack(main, 40)
        lua_pushvalue(thread, index)
        if thread != main { lua_xmove(thread, main, 1) }
        let slot = lua.top
        emittedItems += 1
        let failure: String?
        do {
            switch try reader.readItem(at: slot, position: emittedItems) {
            case .recommendation(let recommendation): deliver(recommendation)
            case .note(let note): notes.append(note)
            }
            failure = nil
        } catch {
            failure = "ctx.emit: \(error.message)"
        }
        lua.top = slot - 1
        guard let failure else { return 1 }
        // The C side raises it where the rule called ctx.emit.
        failure.withCString { _ = lua_pushstring(thread, $0) }
        return 0
    }
}
