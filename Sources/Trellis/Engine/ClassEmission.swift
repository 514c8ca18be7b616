import TrellisLua

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
            try lua.withEmitter({ [unowned self] slot in take(at: slot) }, body)
        }
    }

    /// Adds what the rule returned, after what it emitted.
    func add(_ output: (recommendations: [Recommendation], notes: [RuleNote])) {
        output.recommendations.forEach(deliver)
        notes += output.notes
    }

    /// Reads the item `ctx.emit` was given, at `slot`; returns nil, or the message of the error
    /// `ctx.emit` raises where the rule called it.
    private func take(at slot: LuaSlot) -> String? {
        emittedItems += 1
        do {
            switch try reader.readItem(at: slot, position: emittedItems) {
            case .recommendation(let recommendation): deliver(recommendation)
            case .note(let note): notes.append(note)
            }
            return nil
        } catch {
            return "ctx.emit: \(error.message)"
        }
    }
}
