import Foundation

/// Reads a 1EdTech OneRoster CSV export (1.1 or 1.2, bulk or delta) into class documents: one per
/// class, with the class's students, their work from the gradebook and skills from the line items'
/// learning objectives.
///
/// Read: `classes.csv`, `users.csv` and `enrollments.csv` (required), `lineItems.csv`,
/// `results.csv` and `lineItemLearningObjectiveIds.csv` (when present). Any other file of the
/// export (`manifest.csv`, `orgs.csv`, `academicSessions.csv`, `courses.csv`, `demographics.csv`,
/// `roles.csv`...) is left alone. File names match in any case.
///
/// A row with a bad value is left out and reported with its file, line and column; every other
/// row is imported. docs/formats.md ("Imports") gives the whole mapping.
package struct OneRosterImporter: Sendable {
    /// The class-level fields every document starts from: `as_of`, `ladders`, `catalog`, and
    /// `class` fields beyond id, title and staff.
    package var context: ClassContext
    /// Import this class only (its `sourcedId`); nil for every class.
    package var classID: String?

    package init(context: ClassContext = ClassContext(asOf: RosterReader.today()), classID: String? = nil) {
        self.context = context
        self.classID = classID
    }

    /// Imports the export in `folder`, naming files as `folder/name.csv` in issues. A `.zip`
    /// file is read as the folder it holds (`OneRosterArchive`).
    package func importFolder(at folder: String) -> ImportResult {
        if folder.lowercased().hasSuffix(".zip") { return OneRosterArchive.importArchive(at: folder, with: self) }
        var run = OneRosterRun(importer: self, folder: folder)
        return run.import()
    }
}

/// The enrollment roles that make a user one of a class's staff. Guardians, parents and relatives
/// are valid roles but neither students nor staff.
private let staffRoles: Set<String> = ["teacher", "aide", "proctor", "administrator"]
private let otherRoles: Set<String> = ["guardian", "parent", "relative"]

/// OneRoster's `scoreStatus` values and the contract's work statuses they become.
private let scoreStatuses: [String: WorkItem.Status?] = [
    "exempt": .exempt,
    "fully graded": .graded,
    "partially graded": .submitted,
    "submitted": .submitted,
    // Missing or merely assigned, depending on the due date.
    "not submitted": nil,
]

/// One import: the tables read so far and what they hold.
private struct OneRosterRun {
    let importer: OneRosterImporter
    let folder: String
    var issues = IssueLog()
    var counts = ImportCounts()

    struct ClassRecord {
        var id: String
        var title: String?
        var students: [String] = []
        var staff: [String] = []
    }

    struct UserRecord {
        var name: String?
        var extra: [String: JSONValue]
    }

    struct LineItemRecord {
        var classID: String
        var title: String?
        var due: String?
        var range: ClosedRange<Double>
        var objectives: [String] = []
    }

    var classes: [ClassRecord] = []
    var classIndex: [String: Int] = [:]
    var deletedClasses: Set<String> = []
    var users: [String: UserRecord] = [:]
    var deletedUsers: Set<String> = []
    var lineItems: [String: LineItemRecord] = [:]
    var lineItemOrder: [String] = []
    /// Every line item id in lineItems.csv, imported or not: a reference to one left out is no new fault.
    var knownLineItems: Set<String> = []
    /// Work by class, then student, in `results.csv` order.
    var work: [String: [String: [WorkItem]]] = [:]

    init(importer: OneRosterImporter, folder: String) {
        self.importer = importer
        self.folder = folder
    }

    mutating func `import`() -> ImportResult {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            issues.fault(folder, "cannot read the folder")
            return result()
        }
        var byName: [String: String] = [:]
        for name in files.sorted() where byName[name.lowercased()] == nil { byName[name.lowercased()] = name }
        func table(_ name: String, required: Bool) -> CSVTable? {
            guard let actual = byName[name.lowercased()] else {
                if required { issues.fault(display(name), "the file is missing: a OneRoster export needs \(name)") }
                return nil
            }
            return CSVTable.read(path: (folder as NSString).appendingPathComponent(actual), file: display(actual), issues: &issues)
        }
        guard let classTable = table("classes.csv", required: true), let userTable = table("users.csv", required: true),
            let enrollmentTable = table("enrollments.csv", required: true)
        else { return result() }
        readClasses(classTable)
        if let selected = importer.classID, classIndex[selected] == nil {
            let why = deletedClasses.contains(selected) ? "is marked tobedeleted" : "is not in the file"
            issues.fault(classTable.file, "the class \(JSONValue.string(selected).briefDescription) \(why)")
            return result()
        }
        readUsers(userTable)
        readEnrollments(enrollmentTable)
        if let lineItemTable = table("lineItems.csv", required: false) { readLineItems(lineItemTable) }
        if let objectiveTable = table("lineItemLearningObjectiveIds.csv", required: false) { readObjectives(objectiveTable) }
        if let resultTable = table("results.csv", required: false) {
            if lineItems.isEmpty, byName["lineitems.csv"] == nil {
                issues.fault(resultTable.file, "results.csv without lineItems.csv: a result's class, due date and score range are in its line item")
                counts.read += resultTable.rows.count
                counts.skipped += resultTable.rows.count
            } else {
                readResults(resultTable)
            }
        }
        return result()
    }

    private func display(_ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }

    private func result() -> ImportResult {
        var documents: [ClassDocument] = []
        for record in classes where !record.students.isEmpty {
            var context = importer.context
            var info = context.classInfo ?? ClassInfo()
            info.id = record.id
            info.title = record.title ?? info.title
            info.staff = record.staff
            context.classInfo = info
            // Every line item of the class names skills the whole class works on.
            var skillIDs: [String] = []
            for id in lineItemOrder {
                guard let item = lineItems[id], item.classID == record.id else { continue }
                for objective in item.objectives where !skillIDs.contains(objective) { skillIDs.append(objective) }
            }
            let students = record.students.map { id -> Student in
                let user = users[id]
                return Student(
                    id: id, name: user?.name, skills: skillIDs.map { Skill(id: $0) }, work: work[record.id]?[id] ?? [],
                    extra: user?.extra ?? [:])
            }
            documents.append(ClassDocument(context: context, students: students))
        }
        return ImportResult(documents: documents, issues: issues.issues, counts: counts)
    }

    // MARK: Tables

    /// The row's `status`: true to import it, false to leave it out (deleted, or a bad value, reported).
    private mutating func isActive(_ row: CSVTable.Row, column: Int?, in table: CSVTable) -> Bool? {
        switch row.value(column).lowercased() {
        case "", "active": return true
        // A delta export's deletions; `inactive` is OneRoster 1.0's word for it.
        case "tobedeleted", "inactive": return false
        default:
            skip(row, in: table, field: "status", "expected active or tobedeleted, got \(JSONValue.string(row.value(column)).briefDescription)")
            return nil
        }
    }

    private mutating func skip(_ row: CSVTable.Row, in table: CSVTable, field: String?, _ message: String) {
        counts.skipped += 1
        issues.fault(table.file, line: row.line, field: field, message)
    }

    /// The columns a table needs; nil, with a fault and its rows counted as skipped, when one is missing.
    private mutating func columns(_ names: [String], in table: CSVTable) -> [Int]? {
        var found: [Int] = []
        for name in names {
            guard let index = table.column(name, issues: &issues) else {
                issues.fault(table.file, line: 1, field: name, "the header has no column \(name): the file's \(table.rows.count) rows are left out")
                counts.read += table.rows.count
                counts.skipped += table.rows.count
                return nil
            }
            found.append(index)
        }
        return found
    }

    /// Checks what every row needs: no shifted fields, and a value in each required column.
    private mutating func wellFormed(_ row: CSVTable.Row, in table: CSVTable, required: [(String, Int)]) -> Bool {
        counts.read += 1
        let extra = table.extraFields(row)
        if extra > 0 {
            skip(row, in: table, field: nil, "\(row.fields.count) fields for a header of \(table.header.count) columns: the values are shifted")
            return false
        }
        for (name, index) in required where row.value(index).isEmpty {
            skip(row, in: table, field: name, "required, but empty")
            return false
        }
        return true
    }

    private mutating func readClasses(_ table: CSVTable) {
        guard let required = columns(["sourcedId"], in: table) else { return }
        let title = table.column("title", issues: &issues)
        let status = table.column("status", issues: &issues)
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            guard wellFormed(row, in: table, required: [("sourcedId", required[0])]) else { continue }
            let id = row.value(required[0])
            if let first = firstLine[id] {
                skip(row, in: table, field: "sourcedId", "duplicate class \(JSONValue.string(id).briefDescription), first at line \(first)")
                continue
            }
            firstLine[id] = row.line
            guard let active = isActive(row, column: status, in: table) else { continue }
            guard active else {
                counts.ignored += 1
                deletedClasses.insert(id)
                continue
            }
            if let selected = importer.classID, selected != id {
                counts.ignored += 1
                continue
            }
            let name = row.value(title)
            classIndex[id] = classes.count
            classes.append(ClassRecord(id: id, title: name.isEmpty ? nil : name))
        }
    }

    private mutating func readUsers(_ table: CSVTable) {
        guard let required = columns(["sourcedId"], in: table) else { return }
        let status = table.column("status", issues: &issues)
        let given = table.column("givenName", issues: &issues)
        let family = table.column("familyName", issues: &issues)
        let preferredGiven = table.column("preferredGivenName", issues: &issues)
        let preferredFamily = table.column("preferredFamilyName", issues: &issues)
        let username = table.column("username", issues: &issues)
        let identifier = table.column("identifier", issues: &issues)
        let grades = table.column("grades", issues: &issues)
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            guard wellFormed(row, in: table, required: [("sourcedId", required[0])]) else { continue }
            let id = row.value(required[0])
            if let first = firstLine[id] {
                skip(row, in: table, field: "sourcedId", "duplicate user \(JSONValue.string(id).briefDescription), first at line \(first)")
                continue
            }
            firstLine[id] = row.line
            guard let active = isActive(row, column: status, in: table) else { continue }
            guard active else {
                counts.ignored += 1
                deletedUsers.insert(id)
                continue
            }
            // The name a student goes by: the preferred names of OneRoster 1.2 win.
            let first = row.value(preferredGiven).isEmpty ? row.value(given) : row.value(preferredGiven)
            let last = row.value(preferredFamily).isEmpty ? row.value(family) : row.value(preferredFamily)
            let name = [first, last].filter { !$0.isEmpty }.joined(separator: " ")
            // What identifies the student in the school's own systems; never passwords, e-mail or phone numbers.
            var oneRoster: [String: JSONValue] = [:]
            if !row.value(username).isEmpty { oneRoster["username"] = .string(row.value(username)) }
            if !row.value(identifier).isEmpty { oneRoster["identifier"] = .string(row.value(identifier)) }
            let gradeList = Self.list(row.value(grades))
            if !gradeList.isEmpty { oneRoster["grades"] = .array(gradeList.map(JSONValue.string)) }
            users[id] = UserRecord(name: name.isEmpty ? nil : name, extra: oneRoster.isEmpty ? [:] : ["oneroster": .object(oneRoster)])
        }
    }

    private mutating func readEnrollments(_ table: CSVTable) {
        guard let required = columns(["classSourcedId", "userSourcedId", "role"], in: table) else { return }
        let status = table.column("status", issues: &issues)
        for row in table.rows {
            guard wellFormed(row, in: table, required: [("classSourcedId", required[0]), ("userSourcedId", required[1]), ("role", required[2])]) else {
                continue
            }
            let classID = row.value(required[0])
            let userID = row.value(required[1])
            let role = row.value(required[2]).lowercased()
            if let selected = importer.classID, selected != classID {
                counts.ignored += 1
                continue
            }
            guard let active = isActive(row, column: status, in: table) else { continue }
            guard active, !deletedClasses.contains(classID), !deletedUsers.contains(userID) else {
                counts.ignored += 1
                continue
            }
            guard let index = classIndex[classID] else {
                skip(row, in: table, field: "classSourcedId", "no class \(JSONValue.string(classID).briefDescription) in classes.csv")
                continue
            }
            guard users[userID] != nil else {
                skip(row, in: table, field: "userSourcedId", "no user \(JSONValue.string(userID).briefDescription) in users.csv")
                continue
            }
            if role == "student" {
                // Exports may enrol a student twice in one class (one row per term): one student.
                if !classes[index].students.contains(userID) { classes[index].students.append(userID) }
            } else if staffRoles.contains(role) {
                if !classes[index].staff.contains(userID) { classes[index].staff.append(userID) }
            } else if otherRoles.contains(role) {
                counts.ignored += 1
            } else {
                skip(row, in: table, field: "role", "expected student, teacher, aide, proctor, administrator, guardian, parent or relative, got \(JSONValue.string(row.value(required[2])).briefDescription)")
            }
        }
    }

    private mutating func readLineItems(_ table: CSVTable) {
        guard let required = columns(["sourcedId", "classSourcedId"], in: table) else { return }
        let status = table.column("status", issues: &issues)
        let title = table.column("title", issues: &issues)
        let dueDate = table.column("dueDate", issues: &issues)
        let minimum = table.column("resultValueMin", issues: &issues)
        let maximum = table.column("resultValueMax", issues: &issues)
        var firstLine: [String: Int] = [:]
        rows: for row in table.rows {
            guard wellFormed(row, in: table, required: [("sourcedId", required[0]), ("classSourcedId", required[1])]) else { continue }
            let id = row.value(required[0])
            let classID = row.value(required[1])
            if let first = firstLine[id] {
                skip(row, in: table, field: "sourcedId", "duplicate line item \(JSONValue.string(id).briefDescription), first at line \(first)")
                continue
            }
            firstLine[id] = row.line
            knownLineItems.insert(id)
            if let selected = importer.classID, selected != classID {
                counts.ignored += 1
                continue
            }
            guard let active = isActive(row, column: status, in: table) else { continue }
            guard active, !deletedClasses.contains(classID) else {
                counts.ignored += 1
                continue
            }
            guard classIndex[classID] != nil else {
                skip(row, in: table, field: "classSourcedId", "no class \(JSONValue.string(classID).briefDescription) in classes.csv")
                continue
            }
            var due: String?
            if !row.value(dueDate).isEmpty {
                switch ImportDate.day(row.value(dueDate)) {
                case .success(let day): due = day
                case .failure(let error):
                    skip(row, in: table, field: "dueDate", error.message)
                    continue
                }
            }
            // Scores are read on the line item's own scale; without one, as percents.
            var bounds: [Double] = [0, 100]
            for (offset, (name, column)) in [("resultValueMin", minimum), ("resultValueMax", maximum)].enumerated() where !row.value(column).isEmpty {
                guard let value = Self.number(row.value(column)) else {
                    skip(row, in: table, field: name, "expected a number, got \(JSONValue.string(row.value(column)).briefDescription)")
                    continue rows
                }
                bounds[offset] = value
            }
            guard bounds[0] < bounds[1] else {
                skip(row, in: table, field: "resultValueMax", "the score range \(JSONText.number(bounds[0]))...\(JSONText.number(bounds[1])) is empty")
                continue
            }
            let name = row.value(title)
            lineItems[id] = LineItemRecord(classID: classID, title: name.isEmpty ? nil : name, due: due, range: bounds[0]...bounds[1])
            lineItemOrder.append(id)
        }
    }

    private mutating func readObjectives(_ table: CSVTable) {
        guard let required = columns(["lineItemSourcedId", "learningObjectiveId"], in: table) else { return }
        let status = table.column("status", issues: &issues)
        for row in table.rows {
            guard wellFormed(row, in: table, required: [("lineItemSourcedId", required[0]), ("learningObjectiveId", required[1])]) else { continue }
            let lineItem = row.value(required[0])
            guard let active = isActive(row, column: status, in: table) else { continue }
            guard active else {
                counts.ignored += 1
                continue
            }
            guard lineItems[lineItem] != nil else {
                // A line item of another class, deleted, or already reported.
                if knownLineItems.contains(lineItem) {
                    counts.ignored += 1
                } else {
                    skip(row, in: table, field: "lineItemSourcedId", "no line item \(JSONValue.string(lineItem).briefDescription) in lineItems.csv")
                }
                continue
            }
            let objective = row.value(required[1])
            if !lineItems[lineItem]!.objectives.contains(objective) { lineItems[lineItem]!.objectives.append(objective) }
        }
    }

    private mutating func readResults(_ table: CSVTable) {
        guard let required = columns(["lineItemSourcedId", "studentSourcedId", "scoreStatus"], in: table) else { return }
        let status = table.column("status", issues: &issues)
        let scoreColumn = table.column("score", issues: &issues)
        let missingColumn = table.column("missing", issues: &issues)
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            guard wellFormed(row, in: table, required: [("lineItemSourcedId", required[0]), ("studentSourcedId", required[1]), ("scoreStatus", required[2])])
            else { continue }
            let lineItemID = row.value(required[0])
            let studentID = row.value(required[1])
            guard let active = isActive(row, column: status, in: table) else { continue }
            guard active else {
                counts.ignored += 1
                continue
            }
            guard let lineItem = lineItems[lineItemID] else {
                if knownLineItems.contains(lineItemID) {
                    counts.ignored += 1
                } else {
                    skip(row, in: table, field: "lineItemSourcedId", "no line item \(JSONValue.string(lineItemID).briefDescription) in lineItems.csv")
                }
                continue
            }
            guard let index = classIndex[lineItem.classID], classes[index].students.contains(studentID) else {
                skip(row, in: table, field: "studentSourcedId", "\(JSONValue.string(studentID).briefDescription) is not a student of class \(JSONValue.string(lineItem.classID).briefDescription) (enrollments.csv)")
                continue
            }
            let key = lineItemID + "\u{0}" + studentID
            if let first = firstLine[key] {
                skip(row, in: table, field: nil, "a second result for line item \(JSONValue.string(lineItemID).briefDescription) and student \(JSONValue.string(studentID).briefDescription), first at line \(first)")
                continue
            }
            let statusText = row.value(required[2])
            guard let mapped = scoreStatuses[statusText.lowercased()] else {
                skip(row, in: table, field: "scoreStatus", "expected exempt, fully graded, partially graded, submitted or not submitted, got \(JSONValue.string(statusText).briefDescription)")
                continue
            }
            var score: Double?
            if !row.value(scoreColumn).isEmpty {
                guard let raw = Self.number(row.value(scoreColumn)) else {
                    skip(row, in: table, field: "score", "expected a number, got \(JSONValue.string(row.value(scoreColumn)).briefDescription)")
                    continue
                }
                guard lineItem.range.contains(raw) else {
                    skip(row, in: table, field: "score", "\(JSONText.number(raw)) is outside the line item's range \(JSONText.number(lineItem.range.lowerBound))...\(JSONText.number(lineItem.range.upperBound))")
                    continue
                }
                score = (raw - lineItem.range.lowerBound) / (lineItem.range.upperBound - lineItem.range.lowerBound)
            }
            var missingFlag = false
            switch row.value(missingColumn).lowercased() {
            case "", "false": break
            case "true": missingFlag = true
            default:
                skip(row, in: table, field: "missing", "expected true or false, got \(JSONValue.string(row.value(missingColumn)).briefDescription)")
                continue
            }
            firstLine[key] = row.line
            var workStatus = mapped
            if workStatus == nil {
                // Not submitted is missing once the due date has passed; before it, or with no due date, it is assigned.
                workStatus = lineItem.due.map { $0 < String(importer.context.asOf.prefix(10)) } == true ? .missing : .assigned
            }
            if missingFlag { workStatus = .missing }
            var extra: [String: JSONValue] = [:]
            if let title = lineItem.title { extra["title"] = .string(title) }
            if lineItem.objectives.count > 1 { extra["learning_objectives"] = .array(lineItem.objectives.map(JSONValue.string)) }
            let item = WorkItem(id: lineItemID, skill: lineItem.objectives.first, status: workStatus, score: score, due: lineItem.due, extra: extra)
            work[lineItem.classID, default: [:]][studentID, default: []].append(item)
        }
    }

    // MARK: Values

    /// A number as exports write it: `87`, `87.5`, also `87,5` with a decimal comma.
    static func number(_ text: String) -> Double? {
        guard let value = Double(text) ?? Double(text.replacingOccurrences(of: ",", with: ".")), value.isFinite else { return nil }
        return value
    }

    /// A OneRoster list field: `09,10` or `"Science, Physics"`, items trimmed.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
