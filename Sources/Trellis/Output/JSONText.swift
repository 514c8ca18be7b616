/// JSON text for output: strings escaped per RFC 8259, numbers without needless decimals.
///
/// The text is made as UTF-8 bytes: a report is written into one reusable buffer and handed to
/// its sink without ever being a `String` (the `String` forms below are for short texts).
enum JSONText {
    static func quoted(_ string: String) -> String {
        var output = ""
        appendQuoted(string, to: &output)
        return output
    }

    static func appendQuoted(_ string: String, to output: inout String) {
        var bytes: [UInt8] = []
        appendQuoted(string, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `string` with its quotes, escaping what JSON requires, and as `\u` escapes the
    /// other characters a terminal acts on (DEL, C1 controls, bidirectional formatting, U+2028 and
    /// U+2029), so that a report shown on a terminal cannot drive it; the text read back is the same.
    static func appendQuoted(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { appendEscaped($0, to: &output) }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends the UTF-8 of a string (valid, as a Swift string's is) escaped as `appendQuoted`
    /// says: runs of characters that need nothing are copied whole.
    private static func appendEscaped(_ text: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var index = 0
        var runStart = 0
        let count = text.count
        while index < count {
            // Eight bytes at a time while none of them needs a look.
            if index + 8 <= count, !mayNeedEscape(UnsafeRawPointer(text.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = text[index]
            // Printable ASCII but the quote and the backslash, and UTF-8 sequences that lead with
            // a byte none of the escaped characters starts with, are copied as they are.
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte != 0x7F, byte != 0xC2, byte != 0xD8, byte != 0xE2 {
                index += 1
                continue
            }
            let (scalar, length) = decodeScalar(text, at: index)
            let replacement: StaticString? = switch scalar {
            case 0x22: "\\\""
            case 0x5C: "\\\\"
            case 0x0A: "\\n"
            case 0x0D: "\\r"
            case 0x09: "\\t"
            default: nil
            }
            guard replacement != nil || scalar < 0x20 || TerminalText.needsEscape(Unicode.Scalar(scalar)!) else {
                index += length
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index]))
            if let replacement {
                replacement.withUTF8Buffer { output.append(contentsOf: $0) }
            } else {
                appendUnicodeEscape(scalar, to: &output)
            }
            index += length
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<count]))
    }

    /// Whether any of eight bytes is a control, a quote, a backslash, DEL or not ASCII: false
    /// means the eight are copied as they are. (For each test, a byte of `x - 0x01...` has its
    /// top bit set where `x`'s byte was below the constant, as long as `x`'s own top bit was clear.)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highBits != 0 }
        let belowSpace = (word &- 0x2020_2020_2020_2020) & ~word & highBits != 0
        return word & highBits != 0 || belowSpace || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
            || hasZeroByte(word ^ (ones &* 0x7F))
    }

    /// The scalar whose UTF-8 starts at `index`, and how many bytes it takes.
    private static func decodeScalar(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(text[index])
        switch lead {
        case ..<0x80: return (lead, 1)
        case ..<0xE0: return ((lead & 0x1F) << 6 | UInt32(text[index + 1] & 0x3F), 2)
        case ..<0xF0: return ((lead & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F), 3)
        default: return (0x10000, 4)  // beyond the escaped ones: copied as it is
        }
    }

    /// `\u` and four lowercase hex digits (every escaped scalar is in the basic plane).
    private static func appendUnicodeEscape(_ scalar: UInt32, to output: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "u"))
        digits.withUTF8Buffer { hex in
            for shift in stride(from: 12, through: 0, by: -4) { output.append(hex[Int((scalar >> UInt32(shift)) & 0xF)]) }
        }
    }

    /// `50` for a whole number, `12.5` otherwise; JSON has no NaN or infinity, so those are `null`.
    static func number(_ value: Double) -> String {
        var bytes: [UInt8] = []
        appendNumber(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendNumber(_ value: Double, to output: inout [UInt8]) {
        guard value.isFinite else { return appendLiteral("null", to: &output) }
        if value.rounded() == value, abs(value) < 1e15 { return appendInteger(Int64(value), to: &output) }
        output.append(contentsOf: String(value).utf8)
    }

    /// Decimal digits, as `String(value)` writes them.
    static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = output.count
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        output[start...].reverse()
    }

    static func appendLiteral(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// Appends a value; object keys sorted so that the same result always reads the same.
    static func append(_ value: JSONValue, to output: inout String) {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: appendLiteral("null", to: &output)
        case .bool(let flag): appendLiteral(flag ? "true" : "false", to: &output)
        case .integer(let integer): appendInteger(integer, to: &output)
        case .number(let number): appendNumber(number, to: &output)
        case .string(let string): appendQuoted(string, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                append(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendQuoted(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                append(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}

extension JSONValue {
    /// The value as compact JSON text, object keys sorted.
    public var jsonText: String {
        var text = ""
        JSONText.append(self, to: &text)
        return text
    }
}
