/// A skill's sessions as one string that `LuaState.pushPackedSessions` turns into a list whose
/// session tables are built when read. The students of a streamed class's class-level rules are
/// made this way: those rules read a few sessions of each skill (the newest), and building every
/// session of every student again for each class-level rule was most of their cost on a large
/// roster. The sessions are packed once, in the workers, as part of the student's `StudentImage`.
///
/// Layout (little-endian, read by CLuaShim's packed-session decoder): u32 count, u32 length of the records, u32 offset of
/// each record from the first, then per session a byte of flags (bit i: `SessionField` i present)
/// and the present fields in that order: strings as u32 length and bytes, integers as i64.
enum PackedSessions {
    /// The packed sessions, or nil when a session has fields beyond the contract (those are
    /// built whole, as for any student).
    static func encode(_ sessions: [Session]) -> [UInt8]? {
        let recordsStart = 8 + 4 * sessions.count
        var packed = [UInt8](repeating: 0, count: recordsStart)
        packed.reserveCapacity(recordsStart + 48 * sessions.count)
        store(UInt32(sessions.count), at: 0, in: &packed)
        for index in sessions.indices {
            guard sessions[index].extra.isEmpty else { return nil }
            store(UInt32(packed.count - recordsStart), at: 8 + 4 * index, in: &packed)
            append(sessions[index], to: &packed)
        }
        store(UInt32(packed.count - recordsStart), at: 4, in: &packed)
        return packed
    }

    /// The sessions `encode` packed; nil when the bytes are not such a list.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [Session]? {
        var reader = Reader(bytes: bytes)
        let count = Int(reader.u32() ?? 0)
        guard let length = reader.u32(), 8 + 4 * count + Int(length) == bytes.count else { return nil }
        reader.offset = 8 + 4 * count
        var sessions: [Session] = []
        sessions.reserveCapacity(count)
        for _ in 0..<count {
            guard let flags = reader.byte() else { return nil }
            var session = Session()
            for field in SessionField.allCases where flags & (1 << field.rawValue) != 0 {
                if field.isInteger {
                    guard let number = reader.i64() else { return nil }
                    field.set(number, in: &session)
                } else {
                    guard let text = reader.string() else { return nil }
                    field.set(text, in: &session)
                }
            }
            sessions.append(session)
        }
        return reader.offset == bytes.count ? sessions : nil
    }

    private static func append(_ session: Session, to packed: inout [UInt8]) {
        var flags: UInt8 = 0
        for field in SessionField.allCases where field.text(of: session) != nil || field.integer(of: session) != nil {
            flags |= 1 << field.rawValue
        }
        packed.append(flags)
        for field in SessionField.allCases {
            if let text = field.text(of: session) { append(text, to: &packed) }
            if let number = field.integer(of: session) { append(number, to: &packed) }
        }
    }

    private static func store(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + 4), with: $0) }
    }

    private static func append(_ number: Int, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: Int64(number).littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
    }

    /// Reads with every length checked against the end.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u32() -> UInt32? {
            guard offset + 4 <= bytes.count else { return nil }
            defer { offset += 4 }
            return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        }

        mutating func i64() -> Int? {
            guard offset + 8 <= bytes.count else { return nil }
            defer { offset += 8 }
            return Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        }

        mutating func string() -> String? {
            guard let length = u32().map(Int.init), offset + length <= bytes.count else { return nil }
            defer { offset += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        }
    }
}
