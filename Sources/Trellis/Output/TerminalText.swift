/// Text from rules and inputs, made safe to show on a terminal.
///
/// A rule's reason or error message, a student's id or a row of an export can hold characters a
/// terminal acts on instead of showing: escape sequences that retitle the window or move the
/// cursor, a bell, a NUL, a carriage return or a line break that fakes a line of the report,
/// bidirectional overrides that make `hold` read as `dloh`. Trellis writes them as escapes
/// (`\u{1B}`, `\n`) wherever text goes to a person: the table format, error messages, explanations.
/// The JSON and CSV formats carry the text unchanged.
public enum TerminalText {
    /// `text` with every character a terminal acts on written as an escape: `\n`, `\r`, `\t`, and
    /// `\u{…}` for the other C0 and C1 controls, DEL, bidirectional formatting characters and the
    /// Unicode line and paragraph separators.
    ///
    /// - Parameters:
    ///   - text: the text to show.
    ///   - keepingLineBreaks: keep `\n` as a line break, for text whose lines are the caller's own
    ///     (a message it composed from escaped parts).
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) && !(keepingLineBreaks && $0 == "\n") }) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar), !(keepingLineBreaks && scalar == "\n") else {
                output.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default: output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return output
    }

    /// C0 and C1 controls, DEL, the bidirectional marks, embeddings, overrides and isolates, and
    /// U+2028 and U+2029.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
