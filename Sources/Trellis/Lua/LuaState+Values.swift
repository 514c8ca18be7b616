import CLuaShim

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

    /// Converts the value at `index` to JSON with raw access only, so no rule metamethod runs
    /// while Swift is on the stack. A table is a list when its keys are exactly 1...n.
    /// `budget` shrinks with every value read; below zero the value is refused.
    func jsonValue(at index: Int32, path: String, depth: Int = 0, budget: inout Int) throws(LuaValueError) -> JSONValue {
        let absolute = lua_absindex(state, index)
        budget -= 16
        if lua_type(state, absolute) == LUA_TSTRING { budget -= Int(lua_rawlen(state, absolute)) }
        guard budget >= 0 else {
            throw LuaValueError(path: path, message: "the output is larger than \(Self.outputBudget >> 20) MB")
        }
        switch lua_type(state, absolute) {
        case LUA_TNIL: return .null
        case LUA_TBOOLEAN: return .bool(lua_toboolean(state, absolute) != 0)
        case LUA_TSTRING: return .string(string(at: absolute) ?? "")
        case LUA_TNUMBER:
            if trellis_isinteger(state, absolute) != 0 { return .integer(trellis_tointeger(state, absolute, nil)) }
            let number = trellis_tonumber(state, absolute, nil)
            guard number.isFinite else { throw LuaValueError(path: path, message: "\(number) is not a finite number") }
            return .number(number)
        case LUA_TTABLE:
            guard depth < Self.maximumValueDepth else {
                throw LuaValueError(path: path, message: "nested more than \(Self.maximumValueDepth) levels deep (a table that contains itself?)")
            }
            guard lua_checkstack(state, 6) != 0 else { throw LuaValueError(path: path, message: "too deeply nested") }
            // A rule may hand back input it received (a session, a catalog item): read the
            // table behind the read-only proxy.
            let table = pushUnwrapped(absolute)
            defer { pop() }
            return try tableValue(at: table, path: path, depth: depth, budget: &budget)
        default:
            throw LuaValueError(path: path, message: "a \(String(cString: lua_typename(state, lua_type(state, absolute)))) has no JSON form")
        }
    }

    private func tableValue(at table: Int32, path: String, depth: Int, budget: inout Int) throws(LuaValueError) -> JSONValue {
        let length = Int(lua_rawlen(state, table))
        var stringKeys = 0
        var integerKeysInRange = 0
        var otherKeys = 0
        lua_pushnil(state)
        while lua_next(state, table) != 0 {
            if lua_type(state, -2) == LUA_TSTRING {
                stringKeys += 1
            } else if trellis_isinteger(state, -2) != 0, case let key = trellis_tointeger(state, -2, nil), key >= 1, key <= length {
                integerKeysInRange += 1
            } else {
                otherKeys += 1
            }
            pop()
        }
        if stringKeys == 0, otherKeys == 0, integerKeysInRange == length {
            var elements: [JSONValue] = []
            elements.reserveCapacity(length)
            for position in 0..<length {
                lua_rawgeti(state, table, lua_Integer(position + 1))
                defer { pop() }
                elements.append(try jsonValue(at: -1, path: "\(path)[\(position + 1)]", depth: depth + 1, budget: &budget))
            }
            return .array(elements)
        }
        guard otherKeys == 0, integerKeysInRange == 0 else {
            throw LuaValueError(path: path, message: "a table must be either a list or have only string keys")
        }
        var members: [String: JSONValue] = [:]
        lua_pushnil(state)
        while lua_next(state, table) != 0 {
            let key = string(at: -2) ?? ""
            do {
                members[key] = try jsonValue(at: -1, path: "\(path).\(key)", depth: depth + 1, budget: &budget)
            } catch {
                pop(2)
                throw error
            }
            pop()
        }
        return .object(members)
    }
}
