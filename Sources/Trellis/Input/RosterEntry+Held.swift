import Foundation

extension RosterEntry {
    /// The entry for a record the decoder read: a student whose held problems (`FieldIssue.skill`)
    /// become its `incomplete` skills, or, when any problem is not held by a skill or `extra` has
    /// any, an invalid record with all of them.
    ///
    /// - Parameters:
    ///   - render: a problem as the reader reports it (location and path).
    static func decoded(
        _ student: Student?, id: String?, issues: [FieldIssue], extra: [TrellisIssue] = [], render: (FieldIssue) -> TrellisIssue
    ) -> RosterEntry {
        if var student, extra.isEmpty, !issues.contains(where: { $0.skill == nil }) {
            for issue in issues {
                guard let skill = issue.skill else { continue }
                let rendered = render(issue)
                student.incomplete.append(IncompleteSkill(skill: skill, message: rendered.message, location: rendered.location, path: rendered.path))
            }
            return .student(student)
        }
        return .invalid(studentID: id, issues: issues.map(render) + extra)
    }
}
