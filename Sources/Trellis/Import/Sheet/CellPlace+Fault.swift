/// A bad cell, as an import reports it and as the document records the skill it holds.
extension CellPlace {
    /// `file:row:column: header: message`, a fault.
    func fault(_ message: String) -> ImportIssue {
        ImportIssue(severity: .fault, file: file, line: row, column: column, field: header.isEmpty ? nil : header, message: message)
    }

    /// The record that leaves `skill` undecided because of this cell (`text`, as read).
    func incomplete(_ skill: String, _ message: String, text: String) -> IncompleteSkill {
        IncompleteSkill(skill: skill, message: "\(header.isEmpty ? column : header): \(message)", location: location, text: text.isEmpty ? nil : text)
    }
}
