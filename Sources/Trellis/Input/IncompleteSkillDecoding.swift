import Foundation

/// Reads a student's `incomplete` field: the skills an import could not read whole, each with
/// where its rows were lost (docs/formats.md, "Incomplete skills").
///
/// ```json
/// "incomplete": [ { "skill": "reading", "message": "\"03/04/2026\" is ambiguous...",
///                   "location": "sessions.csv:14:B", "text": "03/04/2026" } ]
/// ```
enum IncompleteSkillDecoding {
    /// The student field that holds the record.
    static let key = "incomplete"

    /// The entries; a bad entry is an issue of the student (it is skipped: which skill has the
    /// hole is not known).
    static func decode(_ reader: inout FieldReader) throws(JSONSyntaxError) -> [IncompleteSkill] {
        var entries: [IncompleteSkill] = []
        try reader.array { (reader: inout FieldReader) throws(JSONSyntaxError) in
            reader.scanner.skipWhitespace()
            let start = reader.scanner.offset
            let issuesBefore = reader.issues.count
            var skill: String?
            var entry = IncompleteSkill(skill: "", message: "some of its rows were left out on import")
            let isObject = try reader.object { (reader: inout FieldReader, key: String) throws(JSONSyntaxError) in
                switch key {
                case "skill": skill = try reader.requiredString()
                case "message": if let message = try reader.string() { entry.message = message }
                case "location": entry.location = try reader.string()
                case "path": entry.path = try reader.string()
                case "text": entry.text = try reader.string()
                default: _ = try reader.extra()
                }
            }
            guard isObject else { return }
            guard let skill else {
                if reader.issues.count == issuesBefore { reader.fail("required field 'skill' is missing", at: start) }
                return
            }
            guard reader.issues.count == issuesBefore else { return }
            entry.skill = skill
            entries.append(entry)
        }
        return entries
    }
}
