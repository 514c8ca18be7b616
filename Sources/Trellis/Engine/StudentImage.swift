/// A checked student in a compact binary form, for the temporary file of a streamed class:
/// class-level rules read every student again, once per rule on a large roster, and decoding this
/// costs a fraction of reading and checking the JSON line again (measured: docs/performance.md).
///
/// Only this process reads what it wrote, so the layout is private and unversioned: lengths and
/// whole numbers as LEB128 varints, strings as a length and UTF-8 bytes, optionals behind a
/// presence byte, doubles as their 8 bytes.
enum StudentImage {
    static func encode(_ student: Student) -> [UInt8] {
        var writer = Writer()
        writer.bytes.reserveCapacity(4096)
        writer.string(student.id)
        writer.optional(student.name)
        writer.strings(student.flags)
        writer.strings(student.preferredModalities)
        writer.members(student.preferenceExtra)
        writer.count(student.skills.count)
        for skill in student.skills {
            writer.string(skill.id)
            writer.optional(skill.domain)
            writer.optional(skill.promptLevel)
            writer.optional(skill.stage)
            writer.optional(skill.badge?.rawValue)
            // Packed (PackedSessions) when they can be: a class-level rule's student is pushed
            // with its sessions as they are here, each session built only when read.
            if let packed = PackedSessions.encode(skill.sessions) {
                writer.byte(1)
                writer.count(packed.count)
                writer.bytes.append(contentsOf: packed)
                writer.members(skill.extra)
                continue
            }
            writer.byte(0)
            writer.list(skill.sessions) { writer, session in
                for field in SessionField.all {
                    if field.isInteger { writer.optional(field.integer(of: session)) } else { writer.optional(field.text(of: session)) }
                }
                writer.members(session.extra)
            }
            writer.members(skill.extra)
        }
        writer.list(student.work) { writer, item in
            writer.optional(item.id)
            writer.optional(item.skill)
            writer.optional(item.status?.rawValue)
            writer.optional(item.score)
            writer.optional(item.due)
            writer.optional(item.modality)
            if let checklist = item.checklist {
                writer.byte(1)
                writer.count(checklist.done)
                writer.count(checklist.total)
                writer.members(checklist.extra)
            } else {
                writer.byte(0)
            }
            writer.members(item.extra)
        }
        writer.list(student.selfAssessments) { writer, assessment in
            writer.optional(assessment.date)
            writer.optional(assessment.skill)
            writer.optional(assessment.rating?.rawValue)
            writer.members(assessment.extra)
        }
        writer.members(student.extra)
        return writer.bytes
    }

    /// A student's winning recommendations, with the fields class-level rules see in
    /// `class.results` (skill, kind, action, from, to, rule, reason, priority).
    static func encode(winners: [Recommendation]) -> [UInt8] {
        var writer = Writer()
        writer.count(winners.count)
        for recommendation in winners {
            writer.optional(recommendation.skill)
            writer.string(recommendation.kind)
            writer.string(recommendation.action)
            writer.optional(recommendation.from)
            writer.optional(recommendation.to)
            writer.string(recommendation.rule)
            writer.string(recommendation.reason)
            writer.double(recommendation.priority)
        }
        return writer.bytes
    }

    /// The recommendations `encode(winners:)` wrote; nil for damaged bytes.
    static func decodeWinners(_ bytes: [UInt8]) -> [Recommendation]? {
        bytes.withUnsafeBytes { buffer -> [Recommendation]? in
            var reader = Reader(bytes: buffer)
            let total = reader.count()
            var winners: [Recommendation] = []
            winners.reserveCapacity(total)
            for _ in 0..<total where !reader.failed {
                let skill = reader.optionalString()
                let kind = reader.string() ?? ""
                let action = reader.string() ?? ""
                let from = reader.optionalString()
                let to = reader.optionalString()
                let rule = reader.string() ?? ""
                let reason = reader.string() ?? ""
                winners.append(
                    Recommendation(skill: skill, kind: kind, action: action, from: from, to: to, rule: rule, priority: reader.double(), reason: reason))
            }
            return reader.failed || !reader.isAtEnd ? nil : winners
        }
    }

    /// The student `encode` wrote; nil when the bytes are not such an image (a damaged file).
    static func decode(_ bytes: [UInt8]) -> Student? {
        decode(bytes, keepingPackedSessions: false)?.student
    }

    /// The student as a class-level rule gets it: a skill whose sessions are packed has none in
    /// `student`, and its packed sessions (at the skill's index) instead.
    static func decodeForClass(_ bytes: [UInt8]) -> (student: Student, packedSessions: [ArraySlice<UInt8>?])? {
        decode(bytes, keepingPackedSessions: true)
    }

    private static func decode(_ bytes: [UInt8], keepingPackedSessions: Bool) -> (student: Student, packedSessions: [ArraySlice<UInt8>?])? {
        var packedSessions: [ArraySlice<UInt8>?] = []
        let student = bytes.withUnsafeBytes { buffer -> Student? in
            var reader = Reader(bytes: buffer)
            guard let id = reader.string() else { return nil }
            var student = Student(id: id)
            student.name = reader.optionalString()
            student.flags = reader.strings()
            student.preferredModalities = reader.strings()
            student.preferenceExtra = reader.members()
            let skillCount = reader.count()
            student.skills.reserveCapacity(skillCount)
            for _ in 0..<skillCount where !reader.failed {
                var skill = Skill(id: reader.string() ?? "")
                skill.domain = reader.optionalString()
                skill.promptLevel = reader.optionalString()
                skill.stage = reader.optionalString()
                skill.badge = reader.optionalString().flatMap(Badge.init(rawValue:))
                if reader.byte() == 1 {
                    let length = reader.count()
                    guard !reader.failed, reader.offset + length <= buffer.count else { return nil }
                    let range = reader.offset..<(reader.offset + length)
                    reader.offset += length
                    if keepingPackedSessions {
                        packedSessions.append(bytes[range])
                    } else {
                        guard let sessions = PackedSessions.decode(UnsafeRawBufferPointer(rebasing: buffer[range])) else { return nil }
                        skill.sessions = sessions
                    }
                    skill.extra = reader.members()
                    student.skills.append(skill)
                    continue
                }
                if keepingPackedSessions { packedSessions.append(nil) }
                let sessionCount = reader.count()
                skill.sessions.reserveCapacity(sessionCount)
                for _ in 0..<sessionCount where !reader.failed {
                    var session = Session()
                    for field in SessionField.all {
                        if field.isInteger { field.set(reader.optionalInteger(), in: &session) } else { field.set(reader.optionalString(), in: &session) }
                    }
                    session.extra = reader.members()
                    skill.sessions.append(session)
                }
                skill.extra = reader.members()
                student.skills.append(skill)
            }
            let workCount = reader.count()
            for _ in 0..<workCount where !reader.failed {
                var item = WorkItem(
                    id: reader.optionalString(), skill: reader.optionalString(), status: reader.optionalString().flatMap(WorkItem.Status.init(rawValue:)),
                    score: reader.optionalDouble(), due: reader.optionalString(), modality: reader.optionalString())
                if reader.byte() == 1 {
                    item.checklist = Checklist(done: reader.count(), total: reader.count(), extra: reader.members())
                }
                item.extra = reader.members()
                student.work.append(item)
            }
            let assessmentCount = reader.count()
            for _ in 0..<assessmentCount where !reader.failed {
                student.selfAssessments.append(
                    SelfAssessment(
                        date: reader.optionalString(), skill: reader.optionalString(),
                        rating: reader.optionalString().flatMap(SelfAssessment.Rating.init(rawValue:)), extra: reader.members()))
            }
            student.extra = reader.members()
            return reader.failed || !reader.isAtEnd ? nil : student
        }
        return student.map { ($0, packedSessions) }
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func byte(_ value: UInt8) {
            bytes.append(value)
        }

        mutating func count(_ value: Int) {
            varint(UInt64(value))
        }

        mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func string(_ value: String) {
            var value = value
            value.withUTF8 { utf8 in
                count(utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }

        /// A count, then each item as `write` writes it.
        mutating func list<Item>(_ items: [Item], _ write: (inout Writer, Item) -> Void) {
            count(items.count)
            for item in items { write(&self, item) }
        }

        mutating func strings(_ values: [String]) {
            count(values.count)
            for value in values { string(value) }
        }

        mutating func optional(_ value: String?) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            string(value)
        }

        mutating func optional(_ value: Int?) {
            guard let value else { return bytes.append(0) }
            // Zigzag: small numbers of either sign stay short, and any Int is kept exactly.
            bytes.append(1)
            let wide = Int64(value)
            varint(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
        }

        mutating func optional(_ value: Double?) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            double(value)
        }

        mutating func double(_ value: Double) {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func members(_ members: [String: JSONValue]) {
            count(members.count)
            for (key, value) in members {
                string(key)
                json(value)
            }
        }

        mutating func json(_ value: JSONValue) {
            switch value {
            case .null: bytes.append(0)
            case .bool(let flag): bytes.append(flag ? 2 : 1)
            case .integer(let integer):
                bytes.append(3)
                withUnsafeBytes(of: integer.littleEndian) { bytes.append(contentsOf: $0) }
            case .number(let number):
                bytes.append(4)
                double(number)
            case .string(let text):
                bytes.append(5)
                string(text)
            case .array(let elements):
                bytes.append(6)
                count(elements.count)
                for element in elements { json(element) }
            case .object(let members):
                bytes.append(7)
                self.members(members)
            }
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        var failed = false

        var isAtEnd: Bool { offset == bytes.count }

        mutating func byte() -> UInt8 {
            guard offset < bytes.count else {
                failed = true
                return 0
            }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while !failed {
                let next = byte()
                value |= UInt64(next & 0x7F) << shift
                if next < 0x80 { break }
                shift += 7
                if shift > 63 { failed = true }
            }
            return value
        }

        mutating func count() -> Int {
            let value = varint()
            // A count larger than what is left cannot be right: refuse it before reserving for it.
            guard !failed, value <= UInt64(bytes.count) else {
                failed = true
                return 0
            }
            return Int(value)
        }

        mutating func string() -> String? {
            let length = count()
            guard !failed, offset + length <= bytes.count else {
                failed = true
                return nil
            }
            defer { offset += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        }

        mutating func strings() -> [String] {
            let total = count()
            var values: [String] = []
            values.reserveCapacity(total)
            for _ in 0..<total where !failed { values.append(string() ?? "") }
            return values
        }

        mutating func optionalString() -> String? {
            byte() == 1 ? string() : nil
        }

        mutating func optionalInteger() -> Int? {
            guard byte() == 1 else { return nil }
            let encoded = varint()
            return Int(Int64(bitPattern: encoded >> 1) ^ -Int64(bitPattern: encoded & 1))
        }

        mutating func optionalDouble() -> Double? {
            byte() == 1 ? double() : nil
        }

        mutating func double() -> Double {
            Double(bitPattern: fixed64())
        }

        mutating func fixed64() -> UInt64 {
            guard offset + 8 <= bytes.count else {
                failed = true
                return 0
            }
            defer { offset += 8 }
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }

        mutating func members(depth: Int = 0) -> [String: JSONValue] {
            let total = count()
            guard total > 0 else { return [:] }
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(total)
            for _ in 0..<total where !failed {
                let key = string() ?? ""
                members[key] = json(depth: depth)
            }
            return members
        }

        mutating func json(depth: Int) -> JSONValue {
            // Input is at most 32 levels deep (FieldReader.maximumExtraDepth): deeper is damage.
            guard depth <= 64 else {
                failed = true
                return .null
            }
            switch byte() {
            case 0: return .null
            case 1: return .bool(false)
            case 2: return .bool(true)
            case 3: return .integer(Int64(bitPattern: fixed64()))
            case 4: return .number(double())
            case 5: return .string(string() ?? "")
            case 6:
                let total = count()
                var elements: [JSONValue] = []
                elements.reserveCapacity(total)
                for _ in 0..<total where !failed { elements.append(json(depth: depth + 1)) }
                return .array(elements)
            case 7: return .object(members(depth: depth + 1))
            default:
                failed = true
                return .null
            }
        }
    }
}
