import Foundation

/// Reads gradebook CSV files laid out as a `GradebookProfile` says (one row per student, one
/// column per assignment, rows of due dates and points under the header) into work items.
///
/// Each cell is one work item of its student: a number is a grade (`graded`, with its score as
/// a fraction of the assignment's points), a word is a status by the profile's `statuses`, and a
/// blank cell is what the profile's `blank` says. Each assignment's skill comes from the
/// `AssignmentMap`; an assignment without one is left out with a warning, never guessed.
///
/// Bad data costs the least it can: a bad cell is reported with `file:row:column` and its text,
/// and its skill is recorded in the student's `incomplete` list so that `trellis evaluate`
/// leaves that skill undecided; a bad due date or points cell does the same for every student
/// of its assignment. Everything else is imported.
package struct GradebookImporter: Sendable {
    package var profile: GradebookProfile
    /// The class-level fields the document starts from (`--header`, `--as-of`).
    package var context: ClassContext
    package var map: AssignmentMap
    /// How slashed due dates are read; the profile's `date_order` when nil; without either, a
    /// slashed date is a fault.
    package var dateOrder: SheetDateOrder?

    package init(profile: GradebookProfile, context: ClassContext = ClassContext(asOf: RosterReader.today()), map: AssignmentMap = AssignmentMap(), dateOrder: SheetDateOrder? = nil) {
        self.profile = profile
        self.context = context
        self.map = map
        self.dateOrder = dateOrder
    }

    /// Imports every file into one class document.
    package func importFiles(_ paths: [String]) -> ImportResult {
        var run = GradebookRun(importer: self)
        for path in paths { run.read(path) }
        return run.result()
    }
}

private struct GradebookRun {
    let importer: GradebookImporter
    var issues = IssueLog()
    var counts = ImportCounts()
    var students: [Student] = []
    var studentIndex: [String: Int] = [:]
    /// Where each student's work item came from, by student and work id: `file:row:column`.
    var itemPlaces: [String: [String: String]] = [:]
    var titles: Set<String> = []
    /// The first assignment read without a skill, for the fault when none has one.
    var firstUnmapped: ImportIssue?

    init(importer: GradebookImporter) {
        self.importer = importer
    }

    var profile: GradebookProfile { importer.profile }

    struct Assignment {
        var column: Int
        var title: String
        var id: String
        var skill: String
        var due: String?
        var points: Double?
        /// The due date or points cell that cannot be read, which leaves the whole column out.
        var broken: (place: CellPlace, message: String, text: String)?
    }

    /// The columns of one file's header.
    struct Layout {
        var file: String
        var headerRow: Int
        var student: [GradebookProfile.StudentColumn: Int]
        var assignments: [Assignment]

        /// The column that identifies a student: the id, else the e-mail; nil when only names do.
        var identity: Int? { student[.id] ?? student[.email] }
    }

    mutating func read(_ path: String) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            issues.fault(path, "cannot read the file")
            return
        }
        let lower = path.lowercased()
        if [".xlsx", ".xlsm", ".xls", ".ods", ".numbers"].contains(where: { lower.hasSuffix($0) }) {
            issues.fault(path, "a gradebook is read as CSV: save the sheet as CSV (UTF-8) and import that")
            return
        }
        if DelimitedSheet.isWindowsText(path) { issues.warning(path, "not UTF-8: read as Windows-1252") }
        // A gradebook is small (students by assignments), and its rows of due dates or points
        // may come after the students: it is read whole before any student is.
        var rows: [SheetRow] = []
        do {
            try DelimitedSheet(path: path, name: path).forEachRow { row in
                rows.append(row)
                return true
            }
        } catch {
            issues.fault(path, error.description.replacingOccurrences(of: "\(path): ", with: ""))
            return
        }
        readSheet(rows, file: path)
    }

    // MARK: The header

    private func headerIndex(_ rows: [SheetRow]) -> Int? {
        if let fixed = profile.headerRow { return rows.firstIndex { $0.number == fixed } }
        let names = Set([GradebookProfile.StudentColumn.id, .email, .name, .firstName].flatMap { profile.studentColumns[$0] ?? [] })
        var looked = 0
        for (index, row) in rows.enumerated() where !row.isBlank {
            if row.cells.contains(where: { names.contains(SheetField.normalise($0.text)) }) { return index }
            looked += 1
            if looked >= 10 { break }
        }
        return nil
    }

    private mutating func readHeader(_ header: SheetRow, file: String) -> Layout? {
        let texts = header.cells.map(\.text)
        let normalised = texts.map(SheetField.normalise)
        var layout = Layout(file: file, headerRow: header.number, student: [:], assignments: [])
        for column in GradebookProfile.StudentColumn.allCases {
            for name in profile.studentColumns[column] ?? [] {
                if let index = normalised.indices.first(where: { normalised[$0] == name && !layout.student.values.contains($0) }) {
                    layout.student[column] = index
                    break
                }
            }
        }
        if layout.identity == nil {
            issues.warning(file, line: header.number, "no student id or e-mail column: each student's name is their id (the profile \(profile.name) names the id column in student.id)")
        }
        let claimed = Set(layout.student.values)
        func resolve(_ reference: GradebookProfile.ColumnReference?, _ key: String) -> Int?? {
            switch reference {
            case nil: return .some(nil)
            case .letter(let index)?: return .some(index)
            case .header(let name)?:
                guard let index = normalised.firstIndex(of: name) else {
                    issues.fault(file, line: header.number, field: "assignments.\(key)", "the header has no such column (profile \(profile.name))")
                    return nil
                }
                return .some(index)
            }
        }
        guard let firstGiven = resolve(profile.firstAssignment, "first"), let lastGiven = resolve(profile.lastAssignment, "last") else { return nil }
        let first = firstGiven ?? ((claimed.max() ?? -1) + 1)
        let last = lastGiven ?? (texts.count - 1)
        var titleCounts: [String: Int] = [:]
        for column in texts.indices where column >= first && column <= last && !claimed.contains(column) {
            let title = texts[column]
            guard !title.isEmpty, !profile.skippedColumns.contains(normalised[column]) else { continue }
            titles.insert(title)
            switch importer.map.decide(title: title, topics: []) {
            case .ignored: continue
            case .unmapped:
                let issue = ImportIssue(
                    severity: .warning, file: file, line: header.number, column: SheetField.letter(column), field: title,
                    message: "no skill for this assignment: it is left out (give it one in --map: skills: { \(JSONValue.string(title).jsonText): SKILL })")
                issues.append(issue)
                if firstUnmapped == nil { firstUnmapped = issue }
            case .skill(let skill):
                let count = (titleCounts[title] ?? 0) + 1
                titleCounts[title] = count
                let id = count == 1 ? title : "\(title) (\(count))"
                if count > 1 {
                    issues.append(ImportIssue(
                        severity: .warning, file: file, line: header.number, column: SheetField.letter(column), field: title,
                        message: "another assignment has this title: this one's work items have the id \(JSONValue.string(id).jsonText)"))
                }
                layout.assignments.append(Assignment(column: column, title: title, id: id, skill: skill))
            }
        }
        return layout
    }

    // MARK: Rows

    private mutating func readSheet(_ rows: [SheetRow], file: String) {
        guard let headerIndex = headerIndex(rows) else {
            let names = [GradebookProfile.StudentColumn.id, .email, .name, .firstName].compactMap { profile.studentColumns[$0] }.flatMap { $0 }
            let place = profile.headerRow.map { " on row \($0)" } ?? " in the first 10 rows"
            issues.fault(file, "nothing to import: no header\(place) has a column that names the student as the profile \(profile.name) expects (normalised: \(names.joined(separator: ", ")))")
            return
        }
        guard var layout = readHeader(rows[headerIndex], file: file) else { return }
        let identityColumns = [layout.student[.id], layout.student[.email]].compactMap { $0 }
        let labelColumns = [layout.student[.name], layout.student[.firstName], layout.student[.lastName], layout.student[.id], layout.student[.email], 0].compactMap { $0 }
        var studentRows: [SheetRow] = []
        var blankRows: [Int] = []
        var dueRow: SheetRow?
        var pointsRow: SheetRow?
        for row in rows[(headerIndex + 1)...] {
            if row.isBlank {
                counts.ignored += 1
                blankRows.append(row.number)
                continue
            }
            counts.read += 1
            if let labelColumn = labelColumns.first(where: { !row.cell($0).isBlank }),
                identityColumns.allSatisfy({ $0 == labelColumn || row.cell($0).isBlank })
            {
                let label = SheetField.normalise(row.cell(labelColumn).text)
                if profile.dueLabels.contains(label) || profile.pointsLabels.contains(label) {
                    let isDue = profile.dueLabels.contains(label)
                    if (isDue ? dueRow : pointsRow) != nil {
                        issues.warning(file, line: row.number, "a second row of \(isDue ? "due dates" : "points") (\(JSONValue.string(row.cell(labelColumn).text).jsonText)): the first is used, this one is skipped")
                        counts.ignored += 1
                    } else if isDue {
                        dueRow = row
                    } else {
                        pointsRow = row
                    }
                    continue
                }
                if profile.skipLabels.contains(label) {
                    counts.ignored += 1
                    continue
                }
            }
            studentRows.append(row)
        }
        if let dueRow { readDueDates(dueRow, into: &layout) }
        if let pointsRow { readPoints(pointsRow, into: &layout) }
        var seen: [String: Int] = [:]
        for row in studentRows { readStudent(row, layout, seen: &seen) }
        if !blankRows.isEmpty {
            let shown = blankRows.prefix(10).map(String.init).joined(separator: ", ") + (blankRows.count > 10 ? ", ..." : "")
            issues.warning(file, "\(blankRows.count) blank \(blankRows.count == 1 ? "row" : "rows") skipped (\(shown))")
        }
    }

    private func cellPlace(_ layout: Layout, _ row: Int, _ column: Int, header: String? = nil) -> CellPlace {
        CellPlace(file: layout.file, row: row, column: SheetField.letter(column), header: header ?? "")
    }

    private static let noDueDate: Set<String> = ["no due date", "none", "no date", "-", "\u{2014}", "n/a"]

    private mutating func readDueDates(_ row: SheetRow, into layout: inout Layout) {
        for index in layout.assignments.indices {
            let assignment = layout.assignments[index]
            let cell = row.cell(assignment.column)
            guard !cell.isBlank, !Self.noDueDate.contains(GradebookProfile.cellKey(cell.text)) else { continue }
            switch SheetDate.day(cell.text, order: importer.dateOrder ?? profile.dateOrder) {
            case .success(let day): layout.assignments[index].due = day
            case .failure(let error):
                let place = cellPlace(layout, row.number, assignment.column, header: assignment.title)
                breakColumn(&layout.assignments[index], place, "its due date \(error.message)", text: cell.text)
            }
        }
    }

    private mutating func readPoints(_ row: SheetRow, into layout: inout Layout) {
        for index in layout.assignments.indices {
            let assignment = layout.assignments[index]
            let cell = row.cell(assignment.column)
            guard !cell.isBlank else { continue }
            if let points = SheetNumber.value(cell), points > 0, !cell.text.hasSuffix("%") {
                layout.assignments[index].points = points
            } else {
                let place = cellPlace(layout, row.number, assignment.column, header: assignment.title)
                breakColumn(&layout.assignments[index], place, "its points \(JSONValue.string(cell.text).briefDescription) are not a number above 0", text: cell.text)
            }
        }
    }

    /// A column whose due date or points cannot be read: reported once, here; each student's
    /// skill is recorded as incomplete when their row is read.
    private mutating func breakColumn(_ assignment: inout Assignment, _ place: CellPlace, _ message: String, text: String) {
        issues.append(ImportIssue(
            severity: .fault, file: place.file, line: place.row, column: place.column, field: assignment.title,
            message: "\(message): the assignment is left out for every student"))
        if assignment.broken == nil { assignment.broken = (place, message, text) }
    }

    private mutating func student(id: String, name: String) -> Int {
        if let index = studentIndex[id] {
            if students[index].name == nil, !name.isEmpty, name != id { students[index].name = name }
            return index
        }
        studentIndex[id] = students.count
        students.append(Student(id: id, name: name.isEmpty || name == id ? nil : name))
        return students.count - 1
    }

    private mutating func incomplete(_ student: Int, _ place: CellPlace, _ message: String, skill: String, text: String) {
        let entry = IncompleteSkill(skill: skill, message: "\(place.header.isEmpty ? place.column : place.header): \(message)", location: place.location, text: text.isEmpty ? nil : text)
        if !students[student].incomplete.contains(entry) { students[student].incomplete.append(entry) }
    }

    private mutating func readStudent(_ row: SheetRow, _ layout: Layout, seen: inout [String: Int]) {
        var name = row.cell(layout.student[.name]).text
        if name.isEmpty {
            name = [row.cell(layout.student[.firstName]).text, row.cell(layout.student[.lastName]).text].filter { !$0.isEmpty }.joined(separator: " ")
        }
        let id = layout.identity.map { row.cell($0).text } ?? name
        guard !id.isEmpty else {
            counts.skipped += 1
            let column = layout.identity ?? layout.student[.name] ?? layout.student[.firstName] ?? 0
            let what = layout.identity == nil ? "no student" : "no student \(layout.student[.id] != nil ? "id" : "e-mail")"
            issues.append(ImportIssue(
                file: layout.file, line: row.number, column: SheetField.letter(column), message: "the row names \(what)\(name.isEmpty ? "" : " (\(name))"): it is left out"))
            return
        }
        let index = student(id: id, name: name)
        if let earlier = seen[id] {
            // The same student twice in one file: neither row can be trusted over the other.
            counts.skipped += 1
            let column = layout.identity ?? layout.student[.name] ?? 0
            let place = cellPlace(layout, row.number, column, header: "")
            issues.append(ImportIssue(file: layout.file, line: row.number, column: place.column, message: "\(id) is also on row \(earlier): this row is left out"))
            for assignment in layout.assignments where !row.cell(assignment.column).isBlank {
                incomplete(index, place, "\(id) is also on row \(earlier): this row is left out", skill: assignment.skill, text: "")
            }
            return
        }
        seen[id] = row.number
        var faulted = false
        for assignment in layout.assignments {
            let cell = row.cell(assignment.column)
            let place = cellPlace(layout, row.number, assignment.column, header: assignment.title)
            if let broken = assignment.broken {
                incomplete(index, broken.place, broken.message, skill: assignment.skill, text: broken.text)
                continue
            }
            switch grade(cell, assignment, place) {
            case .success(nil): continue
            case .success(let item?):
                let location = place.location
                if let earlier = itemPlaces[id]?[assignment.id], let existing = students[index].work.first(where: { $0.id == item.id }) {
                    if existing.status == item.status && existing.score == item.score && existing.due == item.due { continue }
                    faulted = true
                    let message = "\(id) already has \(JSONValue.string(assignment.id).jsonText) from \(earlier), with another grade or status: this cell is left out"
                    issues.append(ImportIssue(file: place.file, line: place.row, column: place.column, field: assignment.title, message: message))
                    incomplete(index, place, message, skill: assignment.skill, text: cell.text)
                    continue
                }
                itemPlaces[id, default: [:]][assignment.id] = location
                students[index].work.append(item)
            case .failure(let error):
                faulted = true
                issues.append(ImportIssue(file: place.file, line: place.row, column: place.column, field: assignment.title, message: error.message))
                incomplete(index, place, error.message, skill: assignment.skill, text: cell.text)
            }
        }
        if faulted { counts.skipped += 1 }
    }

    // MARK: Cells

    /// The work item a cell stands for; nil when the profile leaves such a cell out.
    private mutating func grade(_ cell: SheetCell, _ assignment: Assignment, _ place: CellPlace) -> Result<WorkItem?, SheetValueError> {
        var item = WorkItem(id: assignment.id, skill: assignment.skill, due: assignment.due, extra: ["source": .string(profile.source)])
        func apply(_ status: GradebookProfile.CellStatus) -> WorkItem? {
            switch status {
            case .leftOut: return nil
            case .status(let status): item.status = status
            case .missingAfterDue: item.status = assignment.due.map { $0 < importer.context.asOf } == true ? .missing : .assigned
            }
            return item
        }
        let text = cell.text
        if text.isEmpty { return .success(apply(profile.blank)) }
        let key = GradebookProfile.cellKey(text)
        if let status = profile.statuses[key] { return .success(apply(status)) }
        if profile.lateWords.contains(key) {
            item.status = .submitted
            item.extra["late"] = .bool(true)
            return .success(item)
        }
        switch score(text, points: assignment.points) {
        case .failure(let error): return .failure(error)
        case .success(var value):
            guard value >= 0 else { return .failure(SheetValueError("\(JSONValue.string(text).briefDescription) is below 0")) }
            if value > 2 {
                return .failure(SheetValueError("\(JSONValue.string(text).briefDescription) is more than twice the assignment's maximum\(assignment.points.map { " (\(SheetNumber.text($0)) points)" } ?? "")"))
            }
            if value > 1 {
                issues.append(ImportIssue(
                    severity: .warning, file: place.file, line: place.row, column: place.column, field: assignment.title,
                    message: "\(JSONValue.string(text).briefDescription) is above the maximum (extra credit?): read as full marks, a score of 1"))
                value = 1
            }
            item.status = .graded
            item.score = value
            return .success(item)
        }
    }

    /// A grade as a fraction of its maximum: `8` (points, percent or a fraction, as the profile
    /// says), `80%`, `8/10`.
    private func score(_ text: String, points: Double?) -> Result<Double, SheetValueError> {
        let compact = text.replacingOccurrences(of: " ", with: "")
        let known = profile.statuses.keys.sorted().prefix(6).map { JSONValue.string($0).jsonText }.joined(separator: ", ")
        let notAGrade = SheetValueError("\(JSONValue.string(text).briefDescription) is not a grade or a status the profile \(profile.name) knows (\(known.isEmpty ? "none" : known))")
        if let slash = compact.firstIndex(of: "/") {
            guard let earned = SheetNumber.value(.text(String(compact[..<slash]))), let maximum = SheetNumber.value(.text(String(compact[compact.index(after: slash)...]))) else {
                return .failure(notAGrade)
            }
            guard maximum > 0 else { return .failure(SheetValueError("\(JSONValue.string(text).briefDescription) is out of 0")) }
            return .success(earned / maximum)
        }
        guard let number = SheetNumber.value(.text(compact)) else { return .failure(notAGrade) }
        // SheetNumber reads `80%` as 0.8.
        if compact.hasSuffix("%") { return .success(number) }
        switch profile.scores {
        case .percent: return .success(number / 100)
        case .fraction: return .success(number)
        case .points:
            guard let points else {
                return .failure(SheetValueError(
                    "\(JSONValue.string(text).briefDescription) is a number of points, but the assignment has no points (a row of points under the header), and it is not a percentage (80%) or a fraction (8/10)"))
            }
            return .success(number / points)
        }
    }

    // MARK: The document

    mutating func result() -> ImportResult {
        for issue in importer.map.unmatched(titles: titles, topics: []) { issues.append(issue) }
        if let firstUnmapped, !students.contains(where: { !$0.work.isEmpty || !$0.incomplete.isEmpty }) {
            issues.fault(firstUnmapped.file, line: firstUnmapped.line, "no assignment has a skill, so no work was imported: name each assignment's skill in a --map file (skills: { TITLE: SKILL })")
        }
        return ImportResult(documents: [ClassDocument(context: importer.context, students: students)], issues: issues.issues, counts: counts)
    }
}
