import Foundation

/// How one product's gradebook CSV is laid out, so that a school adds a format (EdPuzzle,
/// another LMS) by writing a small YAML file instead of code.
///
/// ```yaml
/// description: EdPuzzle's class gradebook
/// source: edpuzzle
/// student:                     # header names, any of them; matched in any case and spelling
///   id: [Student ID]
///   first_name: [First Name]
///   last_name: [Last Name]
///   email: [Email]
/// assignments:                 # one column per assignment, except these
///   first: E                   # a column letter or a header (default: the first after the student's)
///   skip: [Average, Total]
/// rows:                        # rows found by their label, in a student column or column A
///   due: [Due Date]
///   points: [Points Possible]
///   skip: [Class Average]
/// cells:
///   statuses: { Missing: missing, Excused: exempt, "Not started": missing_after_due }
///   late: [Late]               # submitted, and late
///   blank: assigned            # or missing_after_due, missing, skip
///   scores: points             # a plain number is points (percent: 0-100; fraction: 0-1)
///   date_order: mdy
/// ```
///
/// Trellis bundles profiles for Google Classroom's gradebook download (`classroom`) and a
/// generic "one row per student, one column per assignment" gradebook (`generic`); see
/// `bundledNames`. Every key is checked: a mistake names its line in the file.
package struct GradebookProfile: Sendable, Hashable {
    /// The profile's name: the bundled name, the file's `name`, else its file name.
    package var name: String
    /// One line on what writes this layout.
    package var description: String?
    /// What each imported work item's `source` says.
    package var source: String
    /// The profile's own YAML text, as read.
    package var yaml: String

    /// Normalised header names (`SheetField.normalise`) for each student column.
    var studentColumns: [StudentColumn: [String]] = [:]
    var firstAssignment: ColumnReference?
    var lastAssignment: ColumnReference?
    /// Normalised headers of columns that are not assignments.
    var skippedColumns: Set<String> = []
    /// The header's row number, when the profile fixes it.
    var headerRow: Int?
    var dueLabels: Set<String> = []
    var pointsLabels: Set<String> = []
    var skipLabels: Set<String> = []
    /// By cell text in lower case, spaces collapsed.
    var statuses: [String: CellStatus] = [:]
    var lateWords: Set<String> = []
    var blank: CellStatus = .status(.assigned)
    var scores: ScoreScale = .points
    var dateOrder: SheetDateOrder?

    enum StudentColumn: String, CaseIterable, Sendable {
        case id, email, name
        case firstName = "first_name", lastName = "last_name"
    }

    /// What a cell's word (or a blank cell) means.
    enum CellStatus: Hashable, Sendable {
        case status(WorkItem.Status)
        /// `missing` when the assignment was due before `as_of`, else `assigned`.
        case missingAfterDue
        /// No work item.
        case leftOut
    }

    enum ScoreScale: String, Sendable, CaseIterable {
        /// Points, out of the assignment's points row.
        case points
        /// 0 to 100.
        case percent
        /// 0 to 1.
        case fraction
    }

    /// A column named by its letter (`D`) or its header.
    enum ColumnReference: Hashable, Sendable {
        case letter(Int)
        case header(String)
    }

    /// Reads a profile file (its `name`, else its file name without the extension).
    package init(contentsOf path: String) throws(YAMLFileError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw YAMLFileError(issues: ["\(path): cannot be read"]) }
        guard let text = String(data: data, encoding: .utf8) else { throw YAMLFileError(issues: ["\(path): not UTF-8 text"]) }
        try self.init(yaml: text, fileName: path, name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
    }

    /// Reads a profile from its text; `name` stands when the text has none.
    package init(yaml text: String, fileName: String, name fallbackName: String) throws(YAMLFileError) {
        let (file, places) = try StrictYAMLDecoder.decode(ProfileFile.self, from: text, fileName: fileName)
        let profileName = file.name ?? fallbackName
        yaml = text
        name = profileName
        description = file.description
        source = file.source ?? profileName
        var problems: [String] = []
        for column in StudentColumn.allCases {
            if let names = file.student.names[column] { studentColumns[column] = names.values.map(SheetField.normalise) }
        }
        if studentColumns[.id] == nil, studentColumns[.email] == nil, studentColumns[.name] == nil, studentColumns[.firstName] == nil {
            problems.append("\(places.location(["student"])): student: give the columns that name the student (id, email, name, or first_name and last_name)")
        }
        firstAssignment = file.assignments?.first.map(Self.reference)
        lastAssignment = file.assignments?.last.map(Self.reference)
        skippedColumns = Set((file.assignments?.skip?.values ?? []).map(SheetField.normalise))
        if let row = file.rows?.header {
            if row >= 1 { headerRow = row } else { problems.append("\(places.location(["rows", "header"])): rows.header: expected a row number, 1 or more") }
        }
        dueLabels = Set((file.rows?.due?.values ?? []).map(SheetField.normalise))
        pointsLabels = Set((file.rows?.points?.values ?? []).map(SheetField.normalise))
        skipLabels = Set((file.rows?.skip?.values ?? []).map(SheetField.normalise))
        for (word, status) in file.cells?.statuses ?? [:] {
            let key = Self.cellKey(word)
            if key.isEmpty {
                problems.append("\(places.location(["cells", "statuses", word])): cells.statuses: an empty word is the blank cell: give it as cells.blank")
            }
            statuses[key] = status.status
        }
        lateWords = Set((file.cells?.late ?? []).map(Self.cellKey))
        if let blankStatus = file.cells?.blank { blank = blankStatus.status }
        if let scale = file.cells?.scores { scores = scale }
        dateOrder = file.cells?.dateOrder
        guard problems.isEmpty else { throw YAMLFileError(issues: problems) }
    }

    /// The names of the profiles bundled in Trellis, sorted.
    package static var bundledNames: [String] {
        EmbeddedGradebookProfiles.all.map { ($0.name as NSString).deletingPathExtension }.sorted()
    }

    /// A bundled profile by name; nil when there is none of that name.
    package static func bundled(_ name: String) -> GradebookProfile? {
        guard let entry = EmbeddedGradebookProfiles.all.first(where: { ($0.name as NSString).deletingPathExtension == name }) else { return nil }
        // The bundled profiles are checked by the test suite; one that failed would be a build defect.
        return try? GradebookProfile(yaml: entry.source, fileName: "profiles/\(entry.name)", name: name)
    }

    /// `--profile`: the file at `nameOrPath` when there is one, else the bundled profile of that name.
    package static func resolve(_ nameOrPath: String) throws(YAMLFileError) -> GradebookProfile {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isFolder), !isFolder.boolValue {
            return try GradebookProfile(contentsOf: nameOrPath)
        }
        if let profile = bundled(nameOrPath) { return profile }
        throw YAMLFileError(issues: ["\(nameOrPath): no such profile file, and no bundled profile of that name (bundled: \(bundledNames.joined(separator: ", ")))"])
    }

    /// A cell's word as statuses are looked up: lower case, spaces trimmed and collapsed.
    static func cellKey(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func reference(_ text: String) -> ColumnReference {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if (1...3).contains(trimmed.count), trimmed.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            let index = trimmed.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
            return .letter(index)
        }
        return .header(SheetField.normalise(trimmed))
    }
}

// MARK: The file, as Yams decodes it

/// One header name or a list of them.
private struct HeaderNames: Decodable {
    var values: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else {
            values = try container.decode([String].self)
        }
        values = values.map { $0.trimmingCharacters(in: .whitespaces) }
        if values.contains("") { throw DecodingError.dataCorruptedError(in: container, debugDescription: "a header name cannot be empty") }
    }
}

/// A status word's meaning, as a profile writes it.
private struct StatusWord: Decodable {
    var status: GradebookProfile.CellStatus
    static let words = WorkItem.Status.allCases.map(\.rawValue) + ["missing_after_due", "skip"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch text {
        case "missing_after_due": status = .missingAfterDue
        case "skip": status = .leftOut
        default:
            guard let contract = WorkItem.Status(rawValue: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(JSONValue.string(text).jsonText) is not one of \(Self.words.joined(separator: ", "))")
            }
            status = .status(contract)
        }
    }
}

private struct ProfileFile: Decodable {
    var name: String?
    var description: String?
    var source: String?
    var student: StudentSection
    var assignments: AssignmentSection?
    var rows: RowSection?
    var cells: CellSection?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, source, student, assignments, rows, cells
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        student = try container.decode(StudentSection.self, forKey: .student)
        assignments = try container.decodeIfPresent(AssignmentSection.self, forKey: .assignments)
        rows = try container.decodeIfPresent(RowSection.self, forKey: .rows)
        cells = try container.decodeIfPresent(CellSection.self, forKey: .cells)
    }

    struct StudentSection: Decodable {
        var names: [GradebookProfile.StudentColumn: HeaderNames] = [:]

        struct Key: CodingKey, CaseIterable {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
            static let allCases = GradebookProfile.StudentColumn.allCases.map { Key(stringValue: $0.rawValue) }
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(Key.self)
            let container = try decoder.container(keyedBy: Key.self)
            for column in GradebookProfile.StudentColumn.allCases {
                names[column] = try container.decodeIfPresent(HeaderNames.self, forKey: Key(stringValue: column.rawValue))
            }
        }
    }

    struct AssignmentSection: Decodable {
        var first: String?
        var last: String?
        var skip: HeaderNames?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case first, last, skip
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            first = try container.decodeIfPresent(String.self, forKey: .first)
            last = try container.decodeIfPresent(String.self, forKey: .last)
            skip = try container.decodeIfPresent(HeaderNames.self, forKey: .skip)
        }
    }

    struct RowSection: Decodable {
        var header: Int?
        var due: HeaderNames?
        var points: HeaderNames?
        var skip: HeaderNames?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case header, due, points, skip
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            header = try container.decodeIfPresent(Int.self, forKey: .header)
            due = try container.decodeIfPresent(HeaderNames.self, forKey: .due)
            points = try container.decodeIfPresent(HeaderNames.self, forKey: .points)
            skip = try container.decodeIfPresent(HeaderNames.self, forKey: .skip)
        }
    }

    struct CellSection: Decodable {
        var statuses: [String: StatusWord]?
        var late: [String]?
        var blank: StatusWord?
        var scores: GradebookProfile.ScoreScale?
        var dateOrder: SheetDateOrder?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case statuses, late, blank, scores
            case dateOrder = "date_order"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            statuses = try container.decodeIfPresent([String: StatusWord].self, forKey: .statuses)
            late = try container.decodeIfPresent([String].self, forKey: .late)
            blank = try container.decodeIfPresent(StatusWord.self, forKey: .blank)
            if let text = try container.decodeIfPresent(String.self, forKey: .scores) {
                guard let scale = GradebookProfile.ScoreScale(rawValue: text) else {
                    throw DecodingError.dataCorruptedError(forKey: .scores, in: container, debugDescription: "\(JSONValue.string(text).jsonText) is not one of points, percent, fraction")
                }
                scores = scale
            }
            if let text = try container.decodeIfPresent(String.self, forKey: .dateOrder) {
                guard let order = SheetDateOrder(rawValue: text) else {
                    throw DecodingError.dataCorruptedError(forKey: .dateOrder, in: container, debugDescription: "\(JSONValue.string(text).jsonText) is not mdy or dmy")
                }
                dateOrder = order
            }
        }
    }
}
