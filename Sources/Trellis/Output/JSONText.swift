/// JSON text for output: strings escaped per RFC 8259, numbers without needless decimals.
enum JSONText {
    static func quoted(_ string: String) -> String {
        var output = ""
        appendQuoted(string, to: &output)
        return output
    }

    /// Appends `string` with its quotes, escaping what JSON requires, and as `\u` escapes the
    /// other characters a terminal acts on (DEL, C1 controls, bidirectional formatting, U+2028 and
    /// U+2029), so that a report shown on a terminal cannot drive it; the text read back is the same.
    static func appendQuoted(_ string: String, to output: inout String) {
        output.append("\"")
        var needsEscaping = false
        // 0x7F is DEL; the others lead the UTF-8 of C1 controls (C2), U+061C (D8) and U+200E..U+2069 (E2).
        for byte in string.utf8
        where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 {
            needsEscaping = true
            break
        }
        guard needsEscaping else {
            output.append(string)
            output.append("\"")
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case let control where control.value < 0x20 || TerminalText.needsEscape(control):
                let hex = String(control.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }

    /// `50` for a whole number, `12.5` otherwise; JSON has no NaN or infinity, so those are `null`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Appends a value; object keys sorted so that the same result always reads the same.
    static func append(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .integer(let integer): output.append(String(integer))
        case .number(let number): output.append(Self.number(number))
        case .string(let string): appendQuoted(string, to: &output)
        case .array(let elements):
            output.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(",") }
                append(element, to: &output)
            }
            output.append("]")
        case .object(let members):
            output.append("{")
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output.append(",") }
                appendQuoted(key, to: &output)
                output.append(":")
                append(members[key]!, to: &output)
            }
            output.append("}")
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
