import Foundation

/// A `--map` file for `trellis import khan`: which Khan skills, units and courses are which of the
/// school's skills, which column is the student's id, and the headers and values Khan's usual
/// names miss. The same family as `SheetMap`:
///
/// ```yaml
/// student_id: email            # sis_id (the default), email or name
/// skills:                      # a Khan skill, unit or course name: the skill id
///   "Add fractions with unlike denominators": fractions
///   "Unit 3: Fractions": fractions
/// columns:                     # field: the header in the export
///   sis_id: Student Number
/// values:                      # field: { the export's value: the contract's }
///   level: { Dominado: mastered }
///   status: { "Turned in": submitted }
/// date_order: mdy
/// ```
///
/// Every key is checked; a mistake names its line in the file.
package struct KhanMap: Sendable {
    /// The column whose value is each student's id; nil for the default (SIS id, else email, else name).
    var studentID: KhanField?
    var columns: [KhanField: String] = [:]
    /// By the Khan name made into an id (`KhanValues.slug`, so that `Pre-algebra` in a file name
    /// is `Pre algebra` in the map): the skill id, the name as the map writes it, and where the
    /// map says so.
    var skills: [String: (id: String, name: String, location: String)] = [:]
    var levels: [String: MasteryLevel] = [:]
    var statuses: [String: WorkItem.Status] = [:]
    var dateOrder: SheetDateOrder?

    /// No map: skill ids are Khan's names made into ids, and the student's id is the SIS id.
    package init() {}

    /// Reads a map; every problem, with its line, in the error.
    package init(contentsOf path: String) throws(YAMLFileError) {
        try self.init(yaml: try MapFile.text(at: path), fileName: path)
    }

    /// Reads a map from its YAML text; `fileName` names it in the errors.
    package init(yaml text: String, fileName: String) throws(YAMLFileError) {
        var file = try MapFile(
            yaml: text, fileName: fileName, keys: ["student_id", "skills", "columns", "values", "date_order"], kind: "a Khan map",
            keysInWords: "student_id, skills, columns, values and date_order")
        let root = file.root
        func scalar(_ value: JSONValue) -> String? { MapFile.scalar(value)?.trimmingCharacters(in: .whitespaces) }
        let identities: [String: KhanField] = ["sis_id": .sisID, "email": .email, "name": .studentName]
        if let value = root["student_id"], value != .null {
            if let name = scalar(value), let field = identities[name] {
                studentID = field
            } else {
                file.problem("student_id", "expected sis_id, email or name")
            }
        }
        for (name, value) in file.entries("skills").sorted(by: { $0.key < $1.key }) {
            guard let id = scalar(value), !id.isEmpty else {
                file.problem("skills.\(name)", "expected the skill id that \(JSONValue.string(name).briefDescription) is")
                continue
            }
            skills[KhanValues.slug(name)] = (id, name, file.document.location(of: "skills.\(name)"))
        }
        let fieldNames = KhanField.allCases.map(\.rawValue).joined(separator: ", ")
        for (name, value) in file.entries("columns").sorted(by: { $0.key < $1.key }) {
            guard let field = KhanField(rawValue: name) else {
                file.problem("columns.\(name)", "unknown field (fields: \(fieldNames))")
                continue
            }
            guard let header = scalar(value), !header.isEmpty else {
                file.problem("columns.\(name)", "expected the column's header text")
                continue
            }
            columns[field] = header
        }
        for (name, value) in file.entries("values").sorted(by: { $0.key < $1.key }) {
            guard name == "level" || name == "status" else {
                file.problem("values.\(name)", "unknown field (level, status)")
                continue
            }
            guard case .object(let pairs) = value else {
                file.problem("values.\(name)", "expected a mapping of the export's values to the contract's")
                continue
            }
            for (from, to) in pairs.sorted(by: { $0.key < $1.key }) {
                let target = scalar(to) ?? ""
                if name == "level", let level = MasteryLevel(rawValue: target) {
                    levels[Self.key(from)] = level
                } else if name == "status", let status = WorkItem.Status(rawValue: target) {
                    statuses[Self.key(from)] = status
                } else {
                    let allowed = name == "level" ? MasteryLevel.allCases.map(\.rawValue) : WorkItem.Status.allCases.map(\.rawValue)
                    file.problem("values.\(name).\(from)", "expected one of \(allowed.joined(separator: ", "))")
                }
            }
        }
        if let value = root["date_order"], value != .null {
            if let name = scalar(value), let order = SheetDateOrder(rawValue: name) {
                dateOrder = order
            } else {
                file.problem("date_order", "expected mdy or dmy")
            }
        }
        try file.check()
    }

    /// A name as the map matches it: trimmed, in any case, spaces run together.
    static func key(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
