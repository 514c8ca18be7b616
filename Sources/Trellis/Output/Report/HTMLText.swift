/// Text for HTML and inline SVG. Every string that comes from data or rules (names, ids,
/// reasons, notes) goes through `escape`: a rule's text is untrusted and must never become markup.
enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` as character references, and the control characters
    /// HTML does not allow (all below U+0020 but tab, line feed and carriage return, and U+007F to
    /// U+009F) as U+FFFD, so that the file stays valid whatever a rule writes.
    static func escape(_ text: String) -> String {
        var needsWork = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0x7F, 0xC2:
                needsWork = true
            case let control where control < 0x20 && control != 0x09 && control != 0x0A && control != 0x0D:
                needsWork = true
            default: continue
            }
            if needsWork { break }
        }
        guard needsWork else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            case let control where control.value < 0x20 || (0x7F...0x9F).contains(control.value): output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A number for an SVG coordinate: at most one decimal, no exponent.
    static func coordinate(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        if tenths % 10 == 0 { return String(tenths / 10) }
        let magnitude = abs(tenths)
        return (tenths < 0 ? "-" : "") + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    /// A percent as a person reads it in a caption or a tooltip: at most one decimal (`83.3`,
    /// `90`); the numbers table and `data-percent` keep two.
    static func readablePercent(_ value: Double) -> String {
        coordinate(value)
    }

    /// A percent for `data-percent` and the numbers table: exact to two decimals, without
    /// trailing zeros (`90`, `66.67`).
    static func percent(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100
        let fraction = hundredths % 100
        if fraction == 0 { return String(whole) }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)" }
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// An id for an element, from data: letters, digits, `-` and `_` kept, everything else as
    /// `_` followed by its code point, so two different inputs never give the same id.
    static func anchor(_ prefix: String, _ text: String) -> String {
        var output = prefix
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || scalar == "-" {
                output.unicodeScalars.append(scalar)
            } else {
                output += "_" + String(scalar.value, radix: 16) + "_"
            }
        }
        return output
    }
}
