/// The field names of the data contract (section 1, and the practice extensions of section 5),
/// recognised on a key's bytes so that the decoders switch on a small enum instead of comparing
/// Strings (keys are most of a roster's strings; matching them was a fifth of reading one,
/// measured in callgrind).
enum ContractKey: String, CaseIterable {
    case id, name, flags, preferences, modalities, skills, work, domain, stage, sessions, date, trials, correct, independent
    case setting, staff, skill, status, score, due, modality, rating, kind, title, prompt
    // The practice extensions (section 5).
    case checklist, badge
    case selfAssessments = "self_assessments"
    case promptLevel = "prompt_level"

    /// The longest name, in bytes.
    static let maximumLength = 16

    /// The contract key spelled by the bytes at `start` up to a closing quote, and its length
    /// in bytes; nil for any other key (or one with escapes).
    static func match(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (key: ContractKey, length: Int)? {
        guard let short = ShortKey(in: bytes, from: start, maximumLength: maximumLength),
            let key = key(length: short.length, head: short.head, tail: short.tail)
        else { return nil }
        return (key, short.length)
    }

    /// The key whose name is `length` bytes long with these first 8 bytes (`head`) and next 8
    /// (`tail`), little-endian. Generated from the names; a switch over constants, no table.
    private static func key(length: Int, head: UInt64, tail: UInt64) -> ContractKey? {
        switch length {
        case 2:
            switch head {
            case 0x6469: return .id  // id
            default: return nil
            }
        case 3:
            switch head {
            case 0x657564: return .due  // due
            default: return nil
            }
        case 4:
            switch head {
            case 0x656d616e: return .name  // name
            case 0x6b726f77: return .work  // work
            case 0x65746164: return .date  // date
            case 0x646e696b: return .kind  // kind
            default: return nil
            }
        case 5:
            switch head {
            case 0x7367616c66: return .flags  // flags
            case 0x6567617473: return .stage  // stage
            case 0x6666617473: return .staff  // staff
            case 0x6c6c696b73: return .skill  // skill
            case 0x65726f6373: return .score  // score
            case 0x656c746974: return .title  // title
            case 0x6567646162: return .badge  // badge
            default: return nil
            }
        case 6:
            switch head {
            case 0x736c6c696b73: return .skills  // skills
            case 0x6e69616d6f64: return .domain  // domain
            case 0x736c61697274: return .trials  // trials
            case 0x737574617473: return .status  // status
            case 0x676e69746172: return .rating  // rating
            case 0x74706d6f7270: return .prompt  // prompt
            default: return nil
            }
        case 7:
            switch head {
            case 0x74636572726f63: return .correct  // correct
            case 0x676e6974746573: return .setting  // setting
            default: return nil
            }
        case 8:
            switch head {
            case 0x736e6f6973736573: return .sessions  // sessions
            case 0x7974696c61646f6d: return .modality  // modality
            default: return nil
            }
        case 9:
            switch (head, tail) {
            case (0x73696c6b63656863, 0x74): return .checklist  // checklist
            default: return nil
            }
        case 10:
            switch (head, tail) {
            case (0x6974696c61646f6d, 0x7365): return .modalities  // modalities
            default: return nil
            }
        case 11:
            switch (head, tail) {
            case (0x6e65726566657270, 0x736563): return .preferences  // preferences
            case (0x646e657065646e69, 0x746e65): return .independent  // independent
            default: return nil
            }
        case 12:
            switch (head, tail) {
            case (0x6c5f74706d6f7270, 0x6c657665): return .promptLevel  // prompt_level
            default: return nil
            }
        case 16:
            switch (head, tail) {
            case (0x7373615f666c6573, 0x73746e656d737365): return .selfAssessments  // self_assessments
            default: return nil
            }
        default: return nil
        }
    }
}

/// A key of at most 16 ASCII bytes as numbers: its length, and its first 8 bytes (`head`) and
/// next 8 (`tail`) little-endian, so that a key is matched by comparing two integers.
struct ShortKey {
    var length: Int
    var head: UInt64 = 0
    var tail: UInt64 = 0

    /// The key spelled by the bytes at `start` up to a closing quote; nil when it is longer than
    /// `maximumLength` (at most 16), empty, unterminated, or has an escape or a byte that is not
    /// printable ASCII.
    init?(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, maximumLength: Int) {
        var end = start
        let limit = min(bytes.count, start + maximumLength + 1)
        while end < limit {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
            end += 1
        }
        length = end - start
        guard end < limit, length > 0 else { return nil }
        if start + 16 <= bytes.count, let base = bytes.baseAddress {
            // Two unaligned loads, cut to the key's length (x86-64 and arm64 are little-endian).
            let raw = UnsafeRawPointer(base + start)
            head = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            tail = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            if length < 8 {
                head &= (1 << UInt64(8 * length)) - 1
                tail = 0
            } else if length < 16 {
                tail &= (1 << UInt64(8 * (length - 8))) - 1
            }
        } else {
            for index in 0..<length {
                let byte = UInt64(bytes[start + index])
                if index < 8 { head |= byte << UInt64(8 * index) } else { tail |= byte << UInt64(8 * (index - 8)) }
            }
        }
    }
}

/// A member's key as the scanner read it: one of the contract's fields, or any other text.
enum FieldKey {
    case known(ContractKey)
    case other(String)

    var text: String {
        switch self {
        case .known(let key): key.rawValue
        case .other(let text): text
        }
    }
}
