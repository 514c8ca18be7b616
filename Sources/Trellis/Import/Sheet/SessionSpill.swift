/// The checked sessions of a sheet import, kept in a temporary file rather than in memory until
/// every row is read: the ladders are chosen from every level the sheets hold and each skill's
/// sessions are sorted by date before anything is written, so without the spill a 100,000-row
/// sheet would be held whole. What stays in memory is one offset a row.
///
/// The records are a compact binary form of `PendingSession` (written and read only here, by one
/// process): numbers little-endian, strings as a length and their UTF-8 bytes.
final class SessionSpill {
    private let file: TemporaryFile
    private var buffer: [UInt8] = []
    private var bufferStart = 0

    init() throws(TemporaryFileError) {
        file = try TemporaryFile(for: "the sheet's sessions until every row is read")
        buffer.reserveCapacity(Self.bufferSize)
    }

    private static let bufferSize = 1 << 16

    /// Appends a session and returns where it starts.
    func append(_ pending: PendingSession) throws(TemporaryFileError) -> Int {
        let offset = bufferStart + buffer.count
        var record = SpillRecordWriter()
        record.write(pending)
        let body = record.bytes
        withUnsafeBytes(of: UInt32(body.count).littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: body)
        if buffer.count >= Self.bufferSize { try flush() }
        return offset
    }

    /// The session that starts at `offset`.
    func session(at offset: Int) throws(TemporaryFileError) -> PendingSession {
        try flush()
        guard let header = file.read(offset: offset, length: 4) else { throw readFailure() }
        let length = Int(header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
        guard let body = file.read(offset: offset + 4, length: length) else { throw readFailure() }
        var reader = SpillRecordReader(bytes: body)
        guard let pending = reader.readPendingSession() else { throw readFailure() }
        return pending
    }

    private func flush() throws(TemporaryFileError) {
        guard !buffer.isEmpty else { return }
        try file.append(buffer)
        bufferStart += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    private func readFailure() -> TemporaryFileError {
        TemporaryFileError(folder: "the temporary folder", reason: "a session could not be read back", purpose: "the sheet's sessions until every row is read")
    }
}

/// A session whose levels are resolved once every sheet is read (the ladder depends on all the
/// levels the sheets hold), with the cells its levels came from for the faults.
struct PendingSession: Equatable {
    var session: Session
    var promptText: String?
    var promptPlace: CellPlace?
    var stageText: String?
    var stagePlace: CellPlace?
}

private struct SpillRecordWriter {
    var bytes: [UInt8] = []

    mutating func write(_ pending: PendingSession) {
        let session = pending.session
        write(session.date)
        write(session.trials)
        write(session.correct)
        write(session.independent)
        write(session.setting)
        write(session.staff)
        // The sheet importer's extra fields are a delay (a number), a probe (a boolean) and notes
        // (text); anything else would be a change of this file's format.
        let extra = session.extra.sorted { $0.key < $1.key }
        write(UInt32(extra.count))
        for (key, value) in extra {
            write(key)
            switch value {
            case .number(let number):
                bytes.append(1)
                withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            case .bool(let flag):
                bytes.append(2)
                bytes.append(flag ? 1 : 0)
            case .string(let text):
                bytes.append(3)
                write(text)
            default:
                preconditionFailure("a sheet session's extra field \(key) is not a number, a boolean or text")
            }
        }
        write(pending.promptText)
        write(pending.promptPlace)
        write(pending.stageText)
        write(pending.stagePlace)
    }

    private mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func write(_ text: String) {
        let utf8 = Array(text.utf8)
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    private mutating func write(_ text: String?) {
        guard let text else { return bytes.append(0) }
        bytes.append(1)
        write(text)
    }

    private mutating func write(_ number: Int?) {
        guard let number else { return bytes.append(0) }
        bytes.append(1)
        withUnsafeBytes(of: Int64(number).littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func write(_ place: CellPlace?) {
        guard let place else { return bytes.append(0) }
        bytes.append(1)
        write(place.file)
        write(UInt32(place.row))
        write(place.column)
        write(place.header)
    }
}

private struct SpillRecordReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func readPendingSession() -> PendingSession? {
        var session = Session()
        guard let date = optionalText(), let trials = optionalInteger(), let correct = optionalInteger(),
            let independent = optionalInteger(), let setting = optionalText(), let staff = optionalText(), let extraCount = word()
        else { return nil }
        session.date = date.value
        session.trials = trials.value
        session.correct = correct.value
        session.independent = independent.value
        session.setting = setting.value
        session.staff = staff.value
        for _ in 0..<extraCount {
            guard let key = text(), let kind = byte() else { return nil }
            switch kind {
            case 1:
                guard let bits = eightBytes() else { return nil }
                session.extra[key] = .number(Double(bitPattern: bits))
            case 2:
                guard let flag = byte() else { return nil }
                session.extra[key] = .bool(flag == 1)
            case 3:
                guard let value = text() else { return nil }
                session.extra[key] = .string(value)
            default: return nil
            }
        }
        guard let promptText = optionalText(), let promptPlace = optionalPlace(), let stageText = optionalText(), let stagePlace = optionalPlace() else { return nil }
        return PendingSession(session: session, promptText: promptText.value, promptPlace: promptPlace.value, stageText: stageText.value, stagePlace: stagePlace.value)
    }

    /// Values that may be absent come wrapped, so that "absent" and "unreadable" differ.
    struct Read<Value> {
        var value: Value?
    }

    private mutating func byte() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func word() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        defer { position += 4 }
        return bytes[position..<position + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    private mutating func eightBytes() -> UInt64? {
        guard position + 8 <= bytes.count else { return nil }
        defer { position += 8 }
        return bytes[position..<position + 8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    private mutating func text() -> String? {
        guard let length = word().map(Int.init), position + length <= bytes.count else { return nil }
        defer { position += length }
        return String(decoding: bytes[position..<position + length], as: UTF8.self)
    }

    private mutating func optionalText() -> Read<String>? {
        guard let flag = byte() else { return nil }
        guard flag == 1 else { return Read(value: nil) }
        return text().map { Read(value: $0) }
    }

    private mutating func optionalInteger() -> Read<Int>? {
        guard let flag = byte() else { return nil }
        guard flag == 1 else { return Read(value: nil) }
        return eightBytes().map { Read(value: Int(Int64(bitPattern: $0))) }
    }

    private mutating func optionalPlace() -> Read<CellPlace>? {
        guard let flag = byte() else { return nil }
        guard flag == 1 else { return Read(value: nil) }
        guard let file = text(), let row = word(), let column = text(), let header = text() else { return nil }
        return Read(value: CellPlace(file: file, row: Int(row), column: column, header: header))
    }
}
