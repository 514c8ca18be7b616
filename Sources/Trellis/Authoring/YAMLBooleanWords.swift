/// `yes`, `no`, `on` and `off` where a boolean belongs. YAML 1.1 read them as booleans; YAML 1.2,
/// which Trellis reads, reads them as text, so each is an error that says what to write instead
/// of a value silently taken the other way.
enum YAMLBooleanWords {
    /// The fix for `value` where a boolean is expected, or nil when it is not one of the words.
    static func fix(for value: JSONValue) -> String? {
        guard case .string(let word) = value else { return nil }
        let meaning: Bool
        switch word.lowercased() {
        case "yes", "y", "on": meaning = true
        case "no", "n", "off": meaning = false
        default: return nil
        }
        return "\(word) is text, not a boolean, in YAML 1.2: write \(meaning)"
    }
}
