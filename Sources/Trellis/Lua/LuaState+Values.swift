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
        var reading = ValueReading(root: path, budget: budget)
        defer { budget = reading.budget }
        return try jsonValue(at: absolute(slot), depth: depth, reading: &reading)
    }

    /// Where a conversion is (the path is only written out for an error) and what it may still read.
    struct ValueReading {
        enum Step {
            case element(Int)
            case member(String)
        }

        let root: String
        var budget: Int
        var steps: [Step] = []

        init(root: String, budget: Int) {
            self.root = root
            self.budget = budget
        }

        /// `evidence.sessions[2].date`: the root, then each step.
        var path: String {
            var path = root
            for step in steps {
                switch step {
                case .element(let position): path += "[\(position)]"
                case .member(let key): path += ".\(key)"
                }
            }
            return path
        }

        func failure(_ message: String) -> LuaValueError {
            LuaValueError(path: path, message: message)
        }
    }

    private func jsonValue(at absolute: LuaSlot, depth: Int, reading: inout ValueReading) throws(LuaValueError) -> JSONValue {
        reading.budget -= 16
        let type = type(at: absolute)
        // Matched, not compared: `==` on a TrellisLua enum is a call through its conformance.
        if case .string = type { reading.budget -= rawLength(at: absolute) }
        guard reading.budget >= 0 else {
            throw reading.failure("the output is larger than \(Self.outputBudget >> 20) MB")
        }
        switch type {
        case .nil: return .null
        case .boolean: return .bool(boolean(at: absolute))
        case .string: return .string(string(at: absolute) ?? "")
        case .number:
            if isInteger(at: absolute) { return .integer(integer(at: absolute)) }
            let number = number(at: absolute)
            guard number.isFinite else { throw reading.failure("\(number) is not a finite number") }
            return .number(number)
        case .table:
            guard depth < Self.maximumValueDepth else {
                throw reading.failure("nested more than \(Self.maximumValueDepth) levels deep (a table that contains itself?)")
            }
            guard ensureRoom(6) else { throw reading.failure("too deeply nested") }
            // A rule may hand back input it received (a session, a catalog item): read the
            // table behind the read-only proxy.
            let table = pushUnwrapped(absolute)
            defer { pop() }
            return try tableValue(at: table, depth: depth, reading: &reading)
        default:
            throw reading.failure("a \(typeName(at: absolute)) has no JSON form")
        }
    }

    private func tableValue(at table: LuaSlot, depth: Int, reading: inout ValueReading) throws(LuaValueError) -> JSONValue {
        let length = rawLength(at: table)
        var stringKeys = 0
        var integerKeysInRange = 0
        var otherKeys = 0
        forEachEntry(in: table) {
            if case .string = type(at: .belowTop) {
                stringKeys += 1
            } else if isInteger(at: .belowTop), case let key = integer(at: .belowTop), key >= 1, key <= length {
                integerKeysInRange += 1
            } else {
                otherKeys += 1
            }
        }
        // The table is on top: an element is pushed just above it, an entry's key and value above that.
        let elementSlot = LuaSlot(table.index + 1)
        let valueSlot = LuaSlot(table.index + 2)
        if stringKeys == 0, otherKeys == 0, integerKeysInRange == length {
            var elements: [JSONValue] = []
            elements.reserveCapacity(length)
            reading.steps.append(.element(0))
            for position in 0..<length {
                rawElement(position + 1, of: table)
                defer { pop() }
                reading.steps[reading.steps.count - 1] = .element(position + 1)
                elements.append(try jsonValue(at: elementSlot, depth: depth + 1, reading: &reading))
            }
            reading.steps.removeLast()
            return .array(elements)
        }
        guard otherKeys == 0, integerKeysInRange == 0 else {
            throw reading.failure("a table must be either a list or have only string keys")
        }
        var members: [String: JSONValue] = [:]
        members.reserveCapacity(stringKeys)
        try forEachEntry(in: table) { () throws(LuaValueError) in
            let key = string(at: .belowTop) ?? ""
            reading.steps.append(.member(key))
            members[key] = try jsonValue(at: valueSlot, depth: depth + 1, reading: &reading)
            reading.steps.removeLast()
        }
        return .object(members)
    }
}
