/// Reads a skill's `mastery` extension (docs/formats.md, "Mastery"): where a practice platform
/// says the student stands with the skill.
///
/// ```json
/// "mastery": { "level": "proficient", "date": "2026-11-12", "source": "khan", "points": 80 }
/// ```
///
/// `level` (one of `MasteryLevel`) and `date` are required; `points` is a number not below 0,
/// `percent` one from 0 to 100, `source` a string; other members are kept as they are. A bad
/// `mastery` is an issue at its field path that the skill holds (the decoder's caller marks it),
/// so it leaves only that skill undecided.
enum MasteryDecoding {
    /// The skill field that holds the record.
    static let key = "mastery"

    /// The record as it goes to rules, or nil when it is null or has an issue.
    static func decode(_ reader: inout FieldReader) throws(JSONSyntaxError) -> JSONValue? {
        reader.scanner.skipWhitespace()
        let start = reader.scanner.offset
        if try reader.takeNull() { return nil }
        let issuesBefore = reader.issues.count
        var members: [String: JSONValue] = [:]
        var present: Set<String> = []
        let isObject = try reader.object { (reader: inout FieldReader, key: String) throws(JSONSyntaxError) in
            present.insert(key)
            reader.scanner.skipWhitespace()
            let offset = reader.scanner.offset
            let issuesBeforeMember = reader.issues.count
            switch key {
            case "level":
                if let level = try reader.oneOf(MasteryLevel.self) { members[key] = .string(level.rawValue) }
            case "date":
                if let date = try reader.date() { members[key] = .string(date) }
            case "source":
                if let source = try reader.string() { members[key] = .string(source) }
            case "points", "percent":
                // Kept as written: an integer stays one for the rules.
                let value = try reader.extra()
                if value == .null { return }
                guard let number = value.doubleValue else {
                    reader.fail("expected a number, got \(value.briefDescription)", at: offset)
                    return
                }
                if key == "points", number < 0 {
                    reader.fail("must not be negative, got \(JSONText.number(number))", at: offset)
                    return
                }
                if key == "percent", !(0...100).contains(number) {
                    reader.fail("expected a percentage from 0 to 100, got \(JSONText.number(number))", at: offset)
                    return
                }
                members[key] = value
            default:
                members[key] = try reader.extra()
            }
            // A required member written as null is as bad as one left out.
            if (key == "level" || key == "date"), members[key] == nil, reader.issues.count == issuesBeforeMember {
                reader.fail("must not be null", at: offset)
            }
        }
        guard isObject else { return nil }
        for required in ["level", "date"] where !present.contains(required) {
            reader.fail("required field '\(required)' is missing", at: start)
        }
        return reader.issues.count == issuesBefore ? .object(members) : nil
    }
}
