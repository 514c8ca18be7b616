import CLuaShim

/// The stack: pushing and reading values, building tables. Every read and write of a table
/// here is raw (`lua_rawget`, `lua_rawset`, `lua_next`): no metamethod of a rule runs while
/// Swift is on the stack.
extension LuaState {
    /// The top slot; setting it drops (or pads with nil) the values above.
    @inlinable
    package var top: LuaSlot {
        get { LuaSlot(lua_gettop(state)) }
        set { lua_settop(state, newValue.index) }
    }

    @inlinable
    package func pop(_ count: Int32 = 1) { trellis_pop(state, count) }

    /// The slot counted from the bottom, for a slot counted from the top.
    @inlinable
    package func absolute(_ slot: LuaSlot) -> LuaSlot { LuaSlot(lua_absindex(state, slot.index)) }

    /// Makes room for `count` more values; false when the stack cannot grow.
    @discardableResult
    @inlinable
    package func ensureRoom(_ count: Int32) -> Bool { lua_checkstack(state, count) != 0 }

    // MARK: Reading

    @inlinable
    package func type(at slot: LuaSlot) -> LuaType { LuaType(lua_type(state, slot.index)) }

    /// Lua's name of the type of the value at `slot` ("table", "function"...).
    package func typeName(at slot: LuaSlot) -> String {
        String(cString: lua_typename(state, lua_type(state, slot.index)))
    }

    /// The string at `slot`, only when it is a string (numbers are not converted in place).
    @inlinable
    package func string(at slot: LuaSlot) -> String? {
        guard lua_type(state, slot.index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let pointer = trellis_tostring(state, slot.index, &length) else { return nil }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    @inlinable
    package func boolean(at slot: LuaSlot) -> Bool { lua_toboolean(state, slot.index) != 0 }

    /// Whether the value at `slot` is a number with an integer representation.
    @inlinable
    package func isInteger(at slot: LuaSlot) -> Bool { trellis_isinteger(state, slot.index) != 0 }

    @inlinable
    package func integer(at slot: LuaSlot) -> Int64 { trellis_tointeger(state, slot.index, nil) }

    @inlinable
    package func number(at slot: LuaSlot) -> Double { trellis_tonumber(state, slot.index, nil) }

    /// The raw length: of a string its bytes, of a table its border.
    @inlinable
    package func rawLength(at slot: LuaSlot) -> Int { Int(lua_rawlen(state, slot.index)) }

    /// Pushes `table[key]` without metamethods and returns its type.
    @discardableResult
    package func rawField(_ key: String, of table: LuaSlot) -> LuaType {
        let absolute = lua_absindex(state, table.index)
        push(key)
        return LuaType(lua_rawget(state, absolute))
    }

    /// Pushes `table[index]` without metamethods and returns its type.
    @discardableResult
    @inlinable
    package func rawElement(_ index: Int, of table: LuaSlot) -> LuaType {
        LuaType(lua_rawgeti(state, table.index, lua_Integer(index)))
    }

    /// Pops a key and pushes the next entry's key and value of the table at `table` (raw, as
    /// `lua_next`); false, with nothing pushed, after the last entry.
    @inlinable
    package func nextEntry(of table: LuaSlot) -> Bool {
        lua_next(state, table.index) != 0
    }

    /// Pushes the table behind a read-only proxy (or the value itself) and returns its slot.
    @inlinable
    package func pushUnwrapped(_ slot: LuaSlot) -> LuaSlot {
        trellis_push_unwrapped(state, slot.index)
        return top
    }

    // MARK: Pushing

    @inlinable
    package func pushNil() { lua_pushnil(state) }

    package func push(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(state, $0.baseAddress, $0.count) }
        }
    }

    @inlinable
    package func push(_ integer: Int) { lua_pushinteger(state, lua_Integer(integer)) }

    @inlinable
    package func push(integer: Int64) { lua_pushinteger(state, integer) }

    @inlinable
    package func push(_ number: Double) { lua_pushnumber(state, number) }

    @inlinable
    package func push(_ flag: Bool) { lua_pushboolean(state, flag ? 1 : 0) }

    /// Pushes a copy of the value at `slot`.
    @inlinable
    package func pushCopy(of slot: LuaSlot) { lua_pushvalue(state, slot.index) }

    /// Pushes a new table with room for `count` list elements and `fields` named ones.
    @inlinable
    package func newTable(list count: Int = 0, fields: Int = 0) {
        lua_createtable(state, Int32(clamping: count), Int32(clamping: fields))
    }

    /// Pops the top value into `table[index]` (raw) of the table at `table`.
    @inlinable
    package func setElement(_ index: Int, of table: LuaSlot) {
        lua_rawseti(state, table.index, lua_Integer(index))
    }

    /// Pops the top value into `table[key]` of the table just below it, where `key` is a name
    /// the engine chose (a C string, so never one from input data).
    package func setField(_ key: String) {
        lua_setfield(state, -2, key)
    }

    /// Pops the top value into `table[key]` of the table at `table`, where `key` is a name the
    /// engine chose.
    package func setField(_ key: String, of table: LuaSlot) {
        lua_setfield(state, table.index, key)
    }

    /// `setField` for a literal key, passed to Lua as it is: a String key is copied into a new
    /// C string on every call, which cost a fifth of pushing a student (0.37 M instructions a student at 6a91271).
    package func setField(literal key: StaticString) {
        lua_setfield(state, -2, Self.cString(key))
    }

    /// A literal's bytes as a C string: a string literal is stored NUL-terminated, at one address
    /// for the life of the process (which Lua's cache of C strings then finds at once).
    private static func cString(_ key: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(key.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// Pops a key and a value (the value on top) into the table below them, raw: for keys from
    /// input, which may hold a NUL that a C string would cut short.
    @inlinable
    package func setRawPair() {
        lua_rawset(state, -3)
    }

    /// Pops `count` values, pushing them on `thread` instead (a value a rule reads from inside
    /// a coroutine is built on the main thread, then moved).
    func move(_ count: Int32, to thread: OpaquePointer) {
        if thread != state { lua_xmove(state, thread, count) }
    }

    // MARK: Building input

    /// Sets `table[key] = value` on the table at the top of the stack; nil values are left out.
    package func set(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        push(value)
        setField(literal: key)
    }

    package func set(_ key: StaticString, _ value: Int?) {
        guard let value else { return }
        lua_pushinteger(state, lua_Integer(value))
        setField(literal: key)
    }

    package func set(_ key: StaticString, _ value: Double?) {
        guard let value else { return }
        lua_pushnumber(state, value)
        setField(literal: key)
    }

    package func set(_ key: StaticString, _ strings: [String]) {
        push(strings)
        setField(literal: key)
    }

    /// Pushes a list of strings as a Lua sequence.
    package func push(_ strings: [String]) {
        lua_createtable(state, Int32(clamping: strings.count), 0)
        for (index, string) in strings.enumerated() {
            push(string)
            lua_rawseti(state, -2, lua_Integer(index + 1))
        }
        seal()
    }

    /// Makes the input table at the top of the stack read-only, when this state does that.
    /// Call it after the table's nested tables were sealed: sealing goes bottom-up.
    package func seal() {
        if readOnlyInput { trellis_make_readonly(state) }
    }

    /// Runs `body` (which pushes input) reusing the read-only proxies the previous `body` made,
    /// in the same order: only for input that nothing keeps once the next one is pushed.
    package func withRecycledProxies(_ body: () -> Void) {
        trellis_proxy_pool_begin(state)
        defer { trellis_proxy_pool_end(state) }
        body()
    }

    /// Runs `body` (which pushes one table of input) making light read-only proxies: the table
    /// is built raw and wrapped in one light proxy, and its nested tables are sealed as rules
    /// read them. Cheap to make, dearer to read through: for input made often and read little.
    package func withLightProxies(_ body: () -> Void) {
        trellis_light_proxies(state, 1)
        body()
        trellis_light_proxies(state, 0)
        if readOnlyInput { trellis_seal_light(state) }
    }
}
