/// A skill's sessions as one string that `LuaState.pushPackedSessions` turns into a list whose
/// session tables are built when read. The students of a streamed class's class-level rules are
/// made this way: those rules read a few sessions of each skill (the newest), and building every
/// session of every student again for each class-level rule was most of their cost on a large
/// roster. The sessions are packed once, in the workers, as part of the student's `StudentImage`.
///
/// Layout (little-endian, read by CLuaShim's packed-session decoder): u32 count, u32 length of the records, u32 offset of
/// each record from the first, then per session u32 flags (bit i: `SessionField` i present)
/// and the present fields in that order: strings as u32 length and bytes, integers as i64.
enum PackedSessions {
    /// The packed sessions, or nil when a session has fields beyond the contract (those are
    /// built whole, as for any student).
    static func encode(_ sessions: [Session]) -> [UInt8]? {
        // Measured first and written in place: appending field by field to an array took 1.7 K
        // instructions a session (at 6a91271).
        var recordsLength = 0
        for session in sessions {
            guard session.extra.isEmpty else { return nil }
            recordsLength += recordLength(session)
        }
        let recordsStart = 8 + 4 * sessions.count
        return [UInt8](unsafeUninitializedCapacity: recordsStart + recordsLength) { buffer, initialized in
            var writer = Writer(base: UnsafeMutableRawPointer(buffer.baseAddress!))
            writer.u32(UInt32(sessions.count))
            writer.u32(UInt32(recordsLength))
            var recordOffset = 0
            for session in sessions {
                writer.u32(UInt32(recordOffset))
                recordOffset += recordLength(session)
            }
            for session in sessions { writer.record(session) }
            initialized = writer.offset
        }
    }

    /// The bytes of a session's record: its flags, and each field present.
    private static func recordLength(_ session: Session) -> Int {
        var length = 4
        for field in SessionField.all {
            if let text = field.text(of: session) { length += 4 + text.utf8.count }
            if field.integer(of: session) != nil { length += 8 }
        }
        return length
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
            guard let flags = reader.u32() else { return nil }
            var session = Session()
            for field in SessionField.all where flags & (1 << UInt32(field.rawValue)) != 0 {
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

    /// Writes into memory sized by `encode`.
    private struct Writer {
        let base: UnsafeMutableRawPointer
        var offset = 0

        mutating func u32(_ value: UInt32) {
            (base + offset).storeBytes(of: value.littleEndian, as: UInt32.self)
            offset += 4
        }

        mutating func record(_ session: Session) {
            var flags: UInt32 = 0
            for field in SessionField.all where field.text(of: session) != nil || field.integer(of: session) != nil {
                flags |= 1 << UInt32(field.rawValue)
            }
            u32(flags)
            for field in SessionField.all {
                if var text = field.text(of: session) {
                    text.withUTF8 { utf8 in
                        u32(UInt32(utf8.count))
                        if let source = utf8.baseAddress { (base + offset).copyMemory(from: source, byteCount: utf8.count) }
                        offset += utf8.count
                    }
                }
                if let number = field.integer(of: session) {
                    (base + offset).storeBytes(of: Int64(number).littleEndian, as: Int64.self)
                    offset += 8
                }
            }
        }
    }

    /// Reads with every length checked against the end.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

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
