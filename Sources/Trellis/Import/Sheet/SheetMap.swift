import Foundation

/// A `--map` file: what a school's sheet calls its columns and values, when the usual names
/// miss them.
///
/// ```yaml
/// columns:                 # field: the header in the sheet
///   student_id: "Learner #"
///   skill: Program
///   prompt_level: Prompt Code
/// values:                  # field: { value in the sheet: value in the contract }
///   prompt_level: { FP: full_physical, PP: partial_physical, G: gestural, I: independent }
///   status: { "Turned in": submitted }
/// ladders:                 # the ladders, most support first
///   prompt: [full_physical, partial_physical, gestural, independent]
/// tally: { correct: ["+", "P"], incorrect: ["-", "0"] }
/// date_order: mdy
/// sheets: { Data: sessions, Homework: work, Check-ins: self_assessments, Notes: skip }
/// ```
///
/// Every key is checked; a mistake names its line in the file.
package struct SheetMap: Sendable {
    var columns: [SheetField: String] = [:]
    /// By field, then by the sheet's value normalised (lower case, trimmed).
    var values: [SheetField: [String: String]] = [:]
    var ladders: [String: [String]] = [:]
    var tallyCorrect: [Character]?
    var tallyIncorrect: [Character]?
    var dateOrder: SheetDateOrder?
    /// Sheet name (lower case) → what it holds; nil for a sheet to skip.
    var sheets: [String: SheetKind?] = [:]

    package init() {}

    /// Reads a map; every problem, with its line, in the error.
    package init(contentsOf path: String) throws(YAMLFileError) {
        try self.init(yaml: try MapFile.text(at: path), fileName: path)
    }

    package init(yaml text: String, fileName: String) throws(YAMLFileError) {
        var file = try MapFile(
            yaml: text, fileName: fileName, keys: ["columns", "values", "ladders", "tally", "date_order", "sheets"], kind: "a map",
            keysInWords: "columns, values, ladders, tally, date_order and sheets")
        func problem(_ path: String, _ message: String) { file.problem(path, message) }
        func entries(_ key: String) -> [String: JSONValue] { file.entries(key) }
        let scalarText = MapFile.scalar
        let root = file.root
        let fieldNames = SheetField.allCases.map(\.rawValue).joined(separator: ", ")
        for (name, value) in entries("columns").sorted(by: { $0.key < $1.key }) {
            guard let field = SheetField(rawValue: name) else {
                problem("columns.\(name)", "unknown field (fields: \(fieldNames))")
                continue
            }
            guard let header = scalarText(value) else {
                problem("columns.\(name)", "expected the column's header text")
                continue
            }
            columns[field] = header
        }
        for (name, value) in entries("values").sorted(by: { $0.key < $1.key }) {
            guard let field = SheetField(rawValue: name) else {
                problem("values.\(name)", "unknown field (fields: \(fieldNames))")
                continue
            }
            guard case .object(let pairs) = value else {
                problem("values.\(name)", "expected a mapping of the sheet's values to the contract's")
                continue
            }
            var table: [String: String] = [:]
            for (from, to) in pairs {
                guard let target = scalarText(to) else {
                    problem("values.\(name).\(from)", "expected a value")
                    continue
                }
                table[from.trimmingCharacters(in: .whitespaces).lowercased()] = target
            }
            values[field] = table
        }
        for (name, value) in entries("ladders").sorted(by: { $0.key < $1.key }) {
            guard case .array(let items) = value, items.count >= 2 else {
                problem("ladders.\(name)", "expected a list of at least 2 levels, most support first")
                continue
            }
            let levels = items.compactMap(scalarText)
            if levels.count != items.count || Set(levels).count != levels.count || levels.contains("") {
                problem("ladders.\(name)", "levels must be distinct, non-empty names")
                continue
            }
            ladders[name] = levels
        }
        let tally = entries("tally")
        for key in tally.keys.sorted() where !["correct", "incorrect"].contains(key) { problem("tally.\(key)", "unknown key (correct, incorrect)") }
        func marks(_ key: String) -> [Character]? {
            guard let value = tally[key] else { return nil }
            guard case .array(let items) = value else {
                problem("tally.\(key)", "expected a list of one-character marks")
                return nil
            }
            let characters = items.compactMap(scalarText).compactMap { $0.count == 1 ? $0.first : nil }
            if characters.count != items.count { problem("tally.\(key)", "each mark is one character") }
            return characters
        }
        tallyCorrect = marks("correct")
        tallyIncorrect = marks("incorrect")
        if let value = root["date_order"], value != .null {
            if let text = scalarText(value), let order = SheetDateOrder(rawValue: text) {
                dateOrder = order
            } else {
                problem("date_order", "expected mdy or dmy")
            }
        }
        for (name, value) in entries("sheets").sorted(by: { $0.key < $1.key }) {
            switch scalarText(value) {
            case "sessions": sheets[name.lowercased()] = .some(.sessions)
            case "work": sheets[name.lowercased()] = .some(.work)
            case "self_assessments": sheets[name.lowercased()] = .some(.selfAssessments)
            case "skip": sheets[name.lowercased()] = .some(nil)
            default: problem("sheets.\(name)", "expected sessions, work, self_assessments or skip")
            }
        }
        try file.check()
    }

    /// The contract value a sheet's value maps to, if the map names it.
    func mapped(_ field: SheetField, _ text: String) -> String? {
        values[field]?[text.trimmingCharacters(in: .whitespaces).lowercased()]
    }
}
