import CLuaShim

/// Input whose tables are built when a rule reads them: the collections of a streamed class
/// (`class.students`, `class.results`) and a class student's packed sessions.
extension LuaState {
    /// Pushes a read-only proxy over `collection`, whose elements are built on first read.
    /// The caller keeps `collection` alive for as long as rule code may read the proxy.
    package func push(_ collection: LuaLazyCollection) {
        var spec = TrellisLazySpec(
            count: lua_Integer(collection.count), load: LuaLazyCollection.load, key: collection.key == nil ? nil : LuaLazyCollection.pushKey,
            find: collection.find == nil ? nil : LuaLazyCollection.find, context: Unmanaged.passUnretained(collection).toOpaque(),
            weak: collection.weak ? 1 : 0)
        collection.lua = self
        trellis_push_lazy(state, &spec)
    }

    /// How many session fields this state has defined (`defineSessionField`).
    package var sessionFieldCount: Int { Int(trellis_session_field_count(state)) }

    /// Defines the next session field (the host's table of them, in order, before any session
    /// is built): its key, and whether it is an integer (else text).
    package func defineSessionField(_ key: String, isInteger: Bool) {
        push(key)
        trellis_define_session_field(state, isInteger ? 1 : 0)
    }

    /// Pops the values of a session's present fields, pushed in field order (bit i of `present`:
    /// field i), and pushes the session's table. With `seal` (and a sandboxed state) it is
    /// sealed; else the caller adds fields beyond the contract and calls `seal()`.
    package func pushSession(present: UInt32, seal: Bool) {
        trellis_push_session(state, present, seal && readOnlyInput ? 1 : 0)
    }

    /// Pushes the list of sessions `packed` (a skill's sessions in the layout the C decoder
    /// reads), each session's table built when read.
    package func pushPackedSessions(_ packed: ArraySlice<UInt8>) {
        packed.withUnsafeBytes { buffer in
            _ = lua_pushlstring(state, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count)
        }
        trellis_push_packed_sessions(state, readOnlyInput ? 1 : 0)
    }
}

/// A list (or, with `key` and `find`, a map) whose elements the host builds on first read.
/// Each closure pushes on the state's main thread; the value is then moved to the thread that
/// read it (a rule may read the class from inside a coroutine).
package final class LuaLazyCollection {
    let count: Int
    let weak: Bool
    let load: (Int) -> Bool
    let key: ((Int) -> Void)?
    let find: ((String) -> Int?)?
    fileprivate weak var lua: LuaState?

    /// - Parameters:
    ///   - count: how many elements.
    ///   - weak: built elements are held weakly (the collector may drop them and they are built
    ///     again), for collections too large to keep; otherwise kept for the call.
    ///   - load: pushes element `index` (1-based) and returns true, or pushes nothing and returns false.
    ///   - key: for a map, pushes the key of element `index`.
    ///   - find: for a map, the index of the element with this key.
    package init(count: Int, weak: Bool, load: @escaping (Int) -> Bool, key: ((Int) -> Void)? = nil, find: ((String) -> Int?)? = nil) {
        self.count = count
        self.weak = weak
        self.load = load
        self.key = key
        self.find = find
    }

    private static func collection(_ context: UnsafeMutableRawPointer?) -> LuaLazyCollection {
        Unmanaged<LuaLazyCollection>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Runs `push` on the main thread, then moves what it pushed to `thread`.
    private func pushOnto(_ thread: OpaquePointer, _ push: () -> Bool) -> Bool {
        guard let lua else { return false }
        lua.ensureRoom(40)
        guard push() else { return false }
        lua.move(1, to: thread)
        return true
    }

    static let load: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, lua_Integer) -> Int32 = { context, thread, index in
        let collection = collection(context)
        guard let thread else { return 0 }
        return collection.pushOnto(thread) { collection.load(Int(index)) } ? 1 : 0
    }

    static let pushKey: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, lua_Integer) -> Void = { context, thread, index in
        let collection = collection(context)
        guard let thread, let key = collection.key else { return }
        _ = collection.pushOnto(thread) {
            key(Int(index))
            return true
        }
    }

    static let find: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, Int32) -> lua_Integer = { context, thread, slot in
        let collection = collection(context)
        guard let thread, let find = collection.find, lua_type(thread, slot) == LUA_TSTRING else { return 0 }
        var length = 0
        guard let bytes = trellis_tostring(thread, slot, &length) else { return 0 }
        let key = String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
        return find(key).map { lua_Integer($0) } ?? 0
    }
}
