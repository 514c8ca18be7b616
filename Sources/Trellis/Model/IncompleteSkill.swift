/// A skill of a student that must not be decided: some of its data was bad in the input, or was
/// left out when it was imported.
///
/// The engine hands rules the student without that skill (its sessions, work items and
/// self-assessments) and reports an `undecided_skill` error naming the row or field instead of a
/// decision: nothing is decided on a hole in the data. The student's other skills are decided as
/// usual. An import records these in the document (`students[].incomplete`), so that `evaluate`
/// refuses them later.
public struct IncompleteSkill: Sendable, Hashable {
    /// The skill's id.
    public var skill: String
    /// What was wrong, in words a coordinator acts on.
    public var message: String
    /// Where: `class.json:12:40` for a field, `sessions.csv:14:C` for a cell of an import.
    public var location: String?
    /// The field in the input (`students[4] (h-05).skills[0].sessions[2].date`), when known.
    public var path: String?
    /// The cell's text as the import read it, when it came from one.
    public var text: String?

    public init(skill: String, message: String, location: String? = nil, path: String? = nil, text: String? = nil) {
        self.skill = skill
        self.message = message
        self.location = location
        self.path = path
        self.text = text
    }
}
