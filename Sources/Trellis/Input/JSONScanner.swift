/// A JSON syntax error at a byte offset of the input.
struct JSONSyntaxError: Error {
    var message: String
    var offset: Int
}

/// A pull parser over UTF-8 bytes (RFC 8259): the decoders ask for the value they expect next,
/// so a roster is read in one pass with no intermediate tree.
///
/// Foundation's `JSONDecoder` took 3.1-3.6 s on a 72 MB roster where the rules themselves took
/// 0.2 s; reading typed fields straight off the bytes keeps parsing from setting the pace and
/// lets every error name its field path and byte offset.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// The JSON types, as the next value's first byte announces them.
    enum Kind {
        case object, array, string, number, bool, null
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    func error(_ message: String, at position: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: position ?? offset)
    }

    /// The kind of the next value, after whitespace.
    mutating func peekKind() throws(JSONSyntaxError) -> Kind {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw error("unexpected character \(Self.describe(byte: bytes[offset]))")
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input, expected \(what)") }
        guard bytes[offset] == byte else {
            throw error("expected \(what), found \(Self.describe(byte: bytes[offset]))")
        }
        offset += 1
    }

    // MARK: Objects and arrays

    /// Consumes `{`; true when the object has members.
    mutating func beginObject() throws(JSONSyntaxError) -> Bool {
        try begin(UInt8(ascii: "{"), "'{'", closedBy: UInt8(ascii: "}"))
    }

    /// Consumes `open` (named `what` in an error); true when something comes before `close`.
    private mutating func begin(_ open: UInt8, _ what: String, closedBy close: UInt8) throws(JSONSyntaxError) -> Bool {
        try expect(open, what)
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == close {
            offset += 1
            return false
        }
        return true
    }

    /// After a member or an element (`what`): true when a comma says another follows, false at
    /// `close`.
    private mutating func next(closedBy close: UInt8, after what: String) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input, expected ',' or '\(Character(Unicode.Scalar(close)))'") }
        switch bytes[offset] {
        case UInt8(ascii: ","):
            offset += 1
            return true
        case close:
            offset += 1
            return false
        default:
            throw error("expected ',' or '\(Character(Unicode.Scalar(close)))' after \(what), found \(Self.describe(byte: bytes[offset]))")
        }
    }

    /// Reads a member's key and the `:` after it.
    mutating func readKey() throws(JSONSyntaxError) -> String {
        try readField().text
    }

    /// Reads a member's key and the `:` after it; a contract field is recognised on its bytes,
    /// without building a String.
    mutating func readField() throws(JSONSyntaxError) -> FieldKey {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
            if offset >= bytes.count { throw error("unexpected end of input, expected a key") }
            throw error("expected a quoted key, found \(Self.describe(byte: bytes[offset]))")
        }
        if let known = ContractKey.match(in: bytes, from: offset + 1) {
            offset += known.length + 2
            try expect(UInt8(ascii: ":"), "':' after the key")
            return .known(known.key)
        }
        let key = try readString()
        try expect(UInt8(ascii: ":"), "':' after the key")
        return .other(key)
    }

    /// The bytes of the string value that comes next, when it has no escapes (nil otherwise,
    /// and nothing is consumed): lets a decoder check a value before it builds a String.
    mutating func peekPlainString() -> UnsafeBufferPointer<UInt8>? {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
        var end = offset + 1
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { return UnsafeBufferPointer(rebasing: bytes[(offset + 1)..<end]) }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
            end += 1
        }
        return nil
    }

    /// Consumes the string `peekPlainString` returned.
    mutating func skipPlainString(_ text: UnsafeBufferPointer<UInt8>) {
        offset += text.count + 2
    }

    /// After a member's value: true when another member follows, false at `}`.
    mutating func nextMember() throws(JSONSyntaxError) -> Bool {
        try next(closedBy: UInt8(ascii: "}"), after: "an object member")
    }

    /// Consumes `[`; true when the array has elements.
    mutating func beginArray() throws(JSONSyntaxError) -> Bool {
        try begin(UInt8(ascii: "["), "'['", closedBy: UInt8(ascii: "]"))
    }

    /// After an element: true when another element follows, false at `]`.
    mutating func nextElement() throws(JSONSyntaxError) -> Bool {
        try next(closedBy: UInt8(ascii: "]"), after: "an array element")
    }

    // MARK: Scalars

    mutating func readNull() throws(JSONSyntaxError) {
        try literal("null")
    }

    mutating func readBool() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        skipWhitespace()
        let start = offset
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw error("unexpected end of input", at: start) }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[start + $0] == expected[$0] }
        }
        guard matches else { throw error("invalid literal, expected '\(word)'", at: start) }
        offset += count
    }

    /// A number: an integer when it has no fraction or exponent and fits 64 bits.
    mutating func readNumber() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let start = offset
        var isInteger = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, Self.isDigit(bytes[offset]) else { throw error("invalid number", at: start) }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count, Self.isDigit(bytes[offset]) { throw error("invalid number: leading zero", at: start) }
        } else {
            while offset < bytes.count, Self.isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            isInteger = false
            offset += 1
            guard offset < bytes.count, Self.isDigit(bytes[offset]) else { throw error("invalid number: no digit after '.'", at: start) }
            while offset < bytes.count, Self.isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            isInteger = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, Self.isDigit(bytes[offset]) else { throw error("invalid number: no digit in the exponent", at: start) }
            while offset < bytes.count, Self.isDigit(bytes[offset]) { offset += 1 }
        }
        if isInteger, let value = Self.integer(UnsafeBufferPointer(rebasing: bytes[start..<offset])) { return .integer(value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("number out of range", at: start) }
        return .number(value)
    }

    /// The whole number that comes next when it is plain digits (at most 18, no sign, fraction,
    /// exponent or leading zero), consumed; nil, with nothing consumed, for any other value
    /// (which `readNumber` then reads, or refuses, as always): a session's counts without a
    /// `JSONValue` made for each.
    mutating func takePlainWholeNumber() -> Int? {
        var end = offset
        var value = 0
        while end < bytes.count, end - offset < 18, Self.isDigit(bytes[end]) {
            value = value * 10 + Int(bytes[end] &- UInt8(ascii: "0"))
            end += 1
        }
        guard end > offset, end - offset == 1 || bytes[offset] != UInt8(ascii: "0") else { return nil }
        if end < bytes.count {
            switch bytes[end] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "0")...UInt8(ascii: "9"): return nil
            default: break
            }
        }
        offset = end
        return value
    }

    /// A string, with escapes resolved and its UTF-8 checked.
    mutating func readString() throws(JSONSyntaxError) -> String {
        try expect(UInt8(ascii: "\""), "'\"'")
        let start = offset
        var highBits: UInt8 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            highBits |= byte
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                // ASCII needs no validation; the generic validating initializer costs more
                // than the rest of the scan, so it is kept for text that needs it.
                if highBits < 0x80 { return String(decoding: text, as: UTF8.self) }
                guard let string = String(validating: text, as: UTF8.self) else {
                    throw error("invalid UTF-8 in a string", at: start)
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if byte < 0x20 { throw error("unescaped control character in a string") }
            offset += 1
        }
        throw error("unterminated string", at: start - 1)
    }

    private mutating func readEscapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    throw error("invalid UTF-8 in a string", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                offset += 1
                try appendEscape(to: &buffer)
            default:
                if byte < 0x20 { throw error("unescaped control character in a string") }
                buffer.append(byte)
                offset += 1
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    /// Reads the escape after a backslash, appending the bytes it stands for; at the end of the
    /// input, nothing (the string is then unterminated).
    private mutating func appendEscape(to buffer: inout [UInt8]) throws(JSONSyntaxError) {
        guard offset < bytes.count else { return }
        let escape = bytes[offset]
        offset += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"): try appendUnicodeEscape(to: &buffer)
        default:
            let shown = escape >= 0x20 && escape < 0x7F ? String(Character(Unicode.Scalar(escape))) : "0x" + String(escape, radix: 16)
            throw error("invalid escape '\\\(shown)'", at: offset - 2)
        }
    }

    private mutating func appendUnicodeEscape(to buffer: inout [UInt8]) throws(JSONSyntaxError) {
        let escapeStart = offset - 2
        var scalar = try readHex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate in a \\u escape", at: escapeStart)
            }
            offset += 2
            let low = try readHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape", at: escapeStart) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw error("unpaired surrogate in a \\u escape", at: escapeStart)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape", at: escapeStart) }
        buffer.append(contentsOf: String(Character(unicode)).utf8)
    }

    private mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("unexpected end of input in a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    // MARK: Whole values

    /// Reads any value into a tree, for fields whose shape the contract leaves open.
    mutating func readValue(depth: Int = 0) throws(JSONSyntaxError) -> JSONValue {
        guard depth < 512 else { throw error("nesting deeper than 512 levels") }
        switch try peekKind() {
        case .null:
            try readNull()
            return .null
        case .bool: return .bool(try readBool())
        case .number: return try readNumber()
        case .string: return .string(try readString())
        case .array:
            var elements: [JSONValue] = []
            if try beginArray() {
                repeat { elements.append(try readValue(depth: depth + 1)) } while try nextElement()
            }
            return .array(elements)
        case .object:
            var members: [String: JSONValue] = [:]
            if try beginObject() {
                repeat {
                    let key = try readKey()
                    members[key] = try readValue(depth: depth + 1)
                } while try nextMember()
            }
            return .object(members)
        }
    }

    /// Skips the next value without building it, checking its syntax as `readValue` does.
    mutating func skipValue() throws(JSONSyntaxError) {
        // One entry per open container: true for an object (a key comes after each comma).
        var open: [Bool] = []
        repeat {
            switch try peekKind() {
            case .object:
                if try beginObject() {
                    open.append(true)
                    _ = try readKey()
                    continue
                }
            case .array:
                if try beginArray() {
                    open.append(false)
                    continue
                }
            case .string: try skipString()
            case .number: _ = try readNumber()
            case .bool: _ = try readBool()
            case .null: try readNull()
            }
            // A value ended: close every container it completes.
            while let isObject = open.last {
                let more = isObject ? try nextMember() : try nextElement()
                if more {
                    if isObject { _ = try readKey() }
                    break
                }
                open.removeLast()
            }
        } while !open.isEmpty
    }

    /// Passes over a string with the checks `readString` makes (escapes, UTF-8), without
    /// building it: skipped values must be as valid as read ones.
    private mutating func skipString() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "\""), "'\"'")
        let start = offset
        var highBits: UInt8 = 0
        // What an escape stands for is checked, then dropped.
        var scratch: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                if highBits >= 0x80, String(validating: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self) == nil {
                    throw error("invalid UTF-8 in a string", at: start)
                }
                offset += 1
                return
            case UInt8(ascii: "\\"):
                offset += 1
                try appendEscape(to: &scratch)
                scratch.removeAll(keepingCapacity: true)
            case let control where control < 0x20: throw error("unescaped control character in a string")
            default:
                highBits |= byte
                offset += 1
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    /// Checks that only whitespace is left.
    mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if offset < bytes.count {
            throw error("unexpected \(Self.describe(byte: bytes[offset])) after the end of the document")
        }
    }

    // MARK: Helpers

    /// A base-10 integer read straight off the bytes; nil when it overflows 64 bits.
    private static func integer(_ digits: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = digits.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var value: Int64 = 0
        while index < digits.count {
            let digit = Int64(digits[index] &- UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
            index += 1
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func describe(byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// 1-based line and column (in characters) of a byte offset.
    static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let end = min(offset, bytes.count)
        var index = 0
        while index < end {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        // Count characters, not bytes: continuation bytes do not start a column.
        var column = 1
        for position in lineStart..<end where bytes[position] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }
}
