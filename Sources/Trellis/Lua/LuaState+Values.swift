import TrellisLua

/// A Lua value that has no JSON form, at a path inside what a rule returned.
struct LuaValueError: Error {
    var path: String
    var message: String
}

extension LuaState {
    /// Nesting deeper than this is refused: it is a cycle, or more than a report can show.
    static let maximumValueDepth = 32

    /// What one rule's output for one student may weigh, in bytes of text plus 16 per value:
    /// a report is for people, and a rule must not be able to exhaust the engine's memory.
    static let outputBudget = 1 << 20

    /// Converts the value at `slot` to JSON with raw access only, so no rule metamethod runs
    /// while Swift is on the stack. A table is a list when its keys are exactly 1...n.
    /// `budget` shrinks with every value read; below zero the value is refused.
    func jsonValue(at slot: LuaSlot, path: String, depth: Int = 0, budget: inout Int) throws(LuaValueError) -> JSONValue {
        let absolute = absolute(slot)
        budget -= 16
        let type = type(at: absolute)
        if type == .string { budget -= rawLength(at: absolute) }
        guard budget >= 0 else {
            throw LuaValueError(path: path, message: "the output is larger than \(Self.outputBudget >> 20) MB")
        }
        switch type {
        case .nil: return .null
        case .boolean: return .bool(boolean(at: absolute))
        case .string: return .string(string(at: absolute) ?? "")
        case .number:
            if isInteger(at: absolute) { return .integer(integer(at: absolute)) }
            let number = number(at: absolute)
            guard number.isFinite else { throw LuaValueError(path: path, message: "\(number) is not a finite number") }
            return .number(number)
        case .table:
            guard depth < Self.maximumValueDepth else {
                throw LuaValueError(path: path, message: "nested more than \(Self.maximumValueDepth) levels deep (a table that contains itself?)")
            }
            guard ensureRoom(6) else { throw LuaValueError(path: path, message: "too deeply nested") }
            // A rule may hand back input it received (a session, a catalog item): read the
            // table behind the read-only proxy.
            let table = pushUnwrapped(absolute)
            defer { pop() }
            return try tableValue(at: table, path: path, depth: depth, budget: &budget)
        default:
            throw LuaValueError(path: path, message: "a \(typeName(at: absolute)) has no JSON form")
        }
    }

    private func tableValue(at table: LuaSlot, path: String, depth: Int, budget: inout Int) throws(LuaValueError) -> JSONValue {
        let length = rawLength(at: table)
        var stringKeys = 0
        var integerKeysInRange = 0
        var otherKeys = 0
        forEachEntry(in: table) {
            if type(at: .belowTop) == .string {
                stringKeys += 1
            } else if isInteger(at: .belowTop), case let key = integer(at: .belowTop), key >= 1, key <= length {
                integerKeysInRange += 1
            } else {
                otherKeys += 1
            }
        }
        if stringKeys == 0, otherKeys == 0, integerKeysInRange == length {
            var elements: [JSONValue] = []
            elements.reserveCapacity(length)
            for position in 0..<length {
                rawElement(position + 1, of: table)
                defer { pop() }
                elements.append(try jsonValue(at: .top, path: "\(path)[\(position + 1)]", depth: depth + 1, budget: &budget))
            }
            return .array(elements)
        }
        guard otherKeys == 0, integerKeysInRange == 0 else {
            throw LuaValueError(path: path, message: "a table must be either a list or have only string keys")
        }
        var members: [String: JSONValue] = [:]
        try forEachEntry(in: table) { () throws(LuaValueError) in
            let key = string(at: .belowTop) ?? ""
            members[key] = try jsonValue(at: .top, path: "\(path).\(key)", depth: depth + 1, budget: &budget)
        }
        return .object(members)
    }
}
