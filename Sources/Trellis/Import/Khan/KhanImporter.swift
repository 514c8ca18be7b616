import Foundation

/// Reads Khan Academy's CSV exports into one class document: assignment scores become work items,
/// and skills progress becomes each skill's `mastery` (docs/formats.md, "Mastery").
///
/// Which export a file is comes from its header row (`KhanColumns.export`), in the column names
/// of Khan Academy's "CSV Data Dictionary for Administrator Reports" and its reports: `Student
/// Name`, `Student Email`, `Student SIS ID`, then the skill (`Course`, `Unit`, `Skill`,
/// `Mastery Level`, `Mastery Points`...) or the assignment (`Assignment`, `Status`, `Score`, `Due
/// Date`...). docs/import.md gives the whole mapping. Skill ids are Khan's names made into ids
/// (`KhanValues.slug`), or what a `KhanMap` says a skill, unit or course is.
///
/// Bad data costs the least it can: a bad cell leaves out its row (in a grid of skills, its cell),
/// is reported with `file:row:column` and the cell's text, and is recorded in the student's
/// `incomplete` skills, so that `trellis evaluate` leaves that skill undecided.
package struct KhanImporter: Sendable {
    /// The class-level fields the document starts from (`--header`, `--as-of`); `as_of` also
    /// decides whether an unfinished assignment is missing (its due date has passed) or assigned.
    package var context: ClassContext
    /// Which Khan skills, units and courses are which skill ids, and the columns and values
    /// Khan's usual names miss.
    package var map: KhanMap
    /// How slashed dates are read; the map's `date_order` when nil; without either, a slashed
    /// date is a fault.
    package var dateOrder: SheetDateOrder?

    /// An importer that starts every document from `context`, with `map` and `dateOrder` for what
    /// the exports do not say.
    package init(context: ClassContext = ClassContext(asOf: RosterReader.today()), map: KhanMap = KhanMap(), dateOrder: SheetDateOrder? = nil) {
        self.context = context
        self.map = map
        self.dateOrder = dateOrder
    }

    /// Imports every file of `paths` (`.csv`, or `.xlsx` with one export a sheet) into one class
    /// document. `progress` is called with the rows read so far, every 1,000 rows.
    package func importFiles(_ paths: [String], progress: (@Sendable (Int) -> Void)? = nil) -> ImportResult {
        var run = KhanRun(importer: self, progress: progress)
        for path in paths { run.read(path) }
        return run.result()
    }
}

private struct KhanRun {
    let importer: KhanImporter
    let progress: (@Sendable (Int) -> Void)?
    var issues = IssueLog()
    var counts = ImportCounts()
    var rowsSeen = 0

    /// One Khan skill's level for a student, as one row (or cell) gave it.
    struct KhanLevel {
        var name: String
        var level: MasteryLevel
        var date: String
        var points: JSONValue?
        var percent: JSONValue?
        var course: String?
        var unit: String?
        var place: CellPlace
    }

    struct StudentRecord {
        var sisID: String?
        var email: String?
        var name: String?
        var skillOrder: [String] = []
        /// By skill id: Khan's levels for it, by Khan's skill name (`KhanMap.key`), in order.
        var levels: [String: [String: KhanLevel]] = [:]
        var levelOrder: [String: [String]] = [:]
        var work: [WorkItem] = []
        var workPlaces: [CellPlace] = []
        var incomplete: [IncompleteSkill] = []
        /// The mastery progress export's weeks, as `{week, from, to, value, percent}` objects.
        var weeks: [JSONValue] = []
    }

    var students: [StudentRecord] = []
    /// `sis:…`, `email:…` (lower case), `name:…` → the student.
    var identities: [String: Int] = [:]
    /// Skill id → the Khan name it was made of, to warn when two names make one id.
    var slugs: [String: String] = [:]
    var slugsWarned: Set<String> = []
    var mapKeysUsed: Set<String> = []
    var warnedNameOnly = false
    var warnedFallbackID = false

    init(importer: KhanImporter, progress: (@Sendable (Int) -> Void)?) {
        self.importer = importer
        self.progress = progress
    }

    var dateOrder: SheetDateOrder? { importer.dateOrder ?? importer.map.dateOrder }

    // MARK: Files and sheets

    mutating func read(_ path: String) {
        let named = KhanValues.fileName(path)
        for sheet in SheetFile.sheets(path, issues: &issues) ?? [] {
            readSheet(sheet.source, named: named, isWorkbookSheet: sheet.workbookName != nil)
        }
    }

    private mutating func readSheet(_ source: any SheetRowSource, named: (lastDay: String?, course: String?), isWorkbookSheet: Bool) {
        var found: (columns: KhanColumns, export: KhanExport)?
        var rowsBeforeHeader = 0
        var blankRows: [Int] = []
        var leftRoster: [Int] = []
        do {
            try source.forEachRow { row in
                rowsSeen += 1
                if rowsSeen % 1000 == 0 { progress?(rowsSeen) }
                guard let (columns, export) = found else {
                    // The header is the first row that names a student and something to import;
                    // title rows above it are passed over.
                    guard !row.isBlank else { return true }
                    let candidate = KhanColumns(header: row.cells.map(\.text), map: importer.map)
                    if let export = candidate.export {
                        found = (candidate, export)
                        if candidate[.sisID] == nil, candidate[.email] == nil, !warnedNameOnly {
                            warnedNameOnly = true
                            issues.warning(source.name, line: row.number, "no Student SIS ID or Student Email column: each student's name is their id (names are not always unique)")
                        }
                        return true
                    }
                    rowsBeforeHeader += 1
                    return rowsBeforeHeader < 10
                }
                if row.isBlank {
                    counts.ignored += 1
                    blankRows.append(row.number)
                    return true
                }
                counts.read += 1
                if let column = columns[.rosterStatus], SheetField.normalise(row.cell(column).text) == "nolongerrostered" {
                    counts.ignored += 1
                    leftRoster.append(row.number)
                    return true
                }
                switch export {
                case .assignmentScores: readAssignment(row, columns, source.name)
                case .skillsProgress: readSkillRow(row, columns, source.name, named: named)
                case .skillsGrid(let skillColumns): readGridRow(row, columns, skillColumns, source.name, named: named)
                case .weeklyProgress(let weekColumns): readWeeklyRow(row, columns, weekColumns, source.name)
                }
                return true
            }
        } catch {
            issues.fault(source.name, error.description.replacingOccurrences(of: "\(source.name): ", with: ""))
            return
        }
        if found == nil {
            let what = "no header row names a student (Student Name, Student Email, Student SIS ID) and an assignment (Assignment with Status, Score or Due Date) or skills (Skill with Mastery Level, or a column per skill)"
            if isWorkbookSheet {
                issues.warning(source.name, "the sheet is skipped: \(what)")
            } else {
                issues.fault(source.name, "nothing to import: \(what)\(rowsBeforeHeader >= 10 ? " in its first 10 rows" : "")")
            }
        }
        if !blankRows.isEmpty {
            issues.warning(source.name, "\(blankRows.count) blank \(blankRows.count == 1 ? "row" : "rows") skipped (\(Self.shown(blankRows)))")
        }
        if !leftRoster.isEmpty {
            issues.warning(source.name, "\(leftRoster.count) \(leftRoster.count == 1 ? "row" : "rows") of students No Longer Rostered left out (\(Self.shown(leftRoster)))")
        }
    }

    private static func shown(_ rows: [Int]) -> String {
        rows.prefix(10).map(String.init).joined(separator: ", ") + (rows.count > 10 ? ", ..." : "")
    }

    // MARK: Students and skills

    /// The student a row belongs to (created on first sight, and known afterwards by any of its
    /// SIS id, email and name); nil, with a fault, when the row names none.
    private mutating func student(_ row: SheetRow, _ columns: KhanColumns, _ file: String) -> Int? {
        let sisID = row.cell(columns[.sisID]).text
        let email = row.cell(columns[.email]).text
        let name = row.cell(columns[.studentName]).text
        let keys = [sisID.isEmpty ? nil : "sis:" + sisID, email.isEmpty ? nil : "email:" + email.lowercased(), name.isEmpty ? nil : "name:" + name].compactMap { $0 }
        guard !keys.isEmpty else {
            let column = columns[.sisID] ?? columns[.email] ?? columns[.studentName]
            fault(columns.place(row, column, file), "the row names no student: it is left out", text: "", student: nil, skill: nil)
            return nil
        }
        // Known by any identity the row gives, strongest first, that does not contradict it (two
        // students of one name with different SIS ids stay two).
        let records = students
        func compatible(_ index: Int) -> Bool {
            (sisID.isEmpty || records[index].sisID.map { $0 == sisID } ?? true)
                && (email.isEmpty || records[index].email.map { $0.lowercased() == email.lowercased() } ?? true)
        }
        let index: Int
        if let known = keys.compactMap({ identities[$0] }).first(where: compatible) {
            index = known
        } else {
            index = students.count
            students.append(StudentRecord())
        }
        if students[index].sisID == nil, !sisID.isEmpty { students[index].sisID = sisID }
        if students[index].email == nil, !email.isEmpty { students[index].email = email }
        if students[index].name == nil, !name.isEmpty { students[index].name = name }
        for key in keys where identities[key] == nil { identities[key] = index }
        return index
    }

    /// The skill id of a Khan skill: what the map says its name, then the other names (its unit,
    /// its course) are, else its name made into an id. Nil when the name makes no id.
    private mutating func skillID(_ name: String, alsoKnownAs others: [String?]) -> String? {
        for candidate in [name] + others.compactMap({ $0 }) where !candidate.isEmpty {
            let key = KhanValues.slug(candidate)
            if let mapped = importer.map.skills[key] {
                mapKeysUsed.insert(key)
                return mapped.id
            }
        }
        let id = KhanValues.slug(name)
        guard !id.isEmpty else { return nil }
        if let first = slugs[id] {
            if KhanMap.key(first) != KhanMap.key(name), !slugsWarned.contains(id) {
                slugsWarned.insert(id)
                issues.warning("skills", "\(JSONValue.string(first).briefDescription) and \(JSONValue.string(name).briefDescription) both become the skill \(id): they are read as one skill (name them apart in --map skills)")
            }
        } else {
            slugs[id] = name
        }
        return id
    }

    /// Reports a cell fault; when the student and skill are known, the skill is recorded as incomplete.
    private mutating func fault(_ place: CellPlace, _ message: String, text: String, student: Int?, skill: String?) {
        issues.append(place.fault(message))
        guard let student, let skill, !skill.isEmpty else { return }
        students[student].incomplete.append(place.incomplete(skill, message, text: text))
    }

    private func date(_ text: String) -> Result<String, SheetValueError> { KhanValues.day(text, order: dateOrder) }

    // MARK: Skills progress

    private mutating func readSkillRow(_ row: SheetRow, _ columns: KhanColumns, _ file: String, named: (lastDay: String?, course: String?)) {
        guard let student = student(row, columns, file) else {
            counts.skipped += 1
            return
        }
        let name = row.cell(columns[.skill]).text
        let course = Self.nonEmpty(row.cell(columns[.course]).text) ?? named.course
        let unit = Self.nonEmpty(row.cell(columns[.unit]).text)
        guard !name.isEmpty, let skill = skillID(name, alsoKnownAs: [unit, course]) else {
            counts.skipped += 1
            fault(columns.place(row, columns[.skill], file), name.isEmpty ? "the row names no skill: it is left out" : "\(JSONValue.string(name).briefDescription) makes no skill id: name it in --map skills", text: name, student: nil, skill: nil)
            return
        }
        var faults: [(CellPlace, String, String)] = []
        let levelText = row.cell(columns[.level]).text
        guard !levelText.isEmpty else {
            // No level recorded: nothing to say about the skill.
            counts.ignored += 1
            return
        }
        let level = self.level(levelText)
        if level == nil { faults.append((columns.place(row, columns[.level], file), Self.notALevel(levelText), levelText)) }
        let day = rowDate(row, columns, file, named: named, faults: &faults)
        let points = number(row, columns, .points, file, faults: &faults)
        let percent = number(row, columns, .percent, file, faults: &faults)
        guard faults.isEmpty, let level, let day else {
            counts.skipped += 1
            for (place, message, text) in faults { fault(place, message, text: text, student: student, skill: skill) }
            return
        }
        record(KhanLevel(name: name, level: level, date: day, points: points, percent: percent, course: course, unit: unit, place: columns.place(row, columns[.level], file)), skill: skill, student: student)
    }

    private mutating func readGridRow(_ row: SheetRow, _ columns: KhanColumns, _ skillColumns: [Int], _ file: String, named: (lastDay: String?, course: String?)) {
        guard let student = student(row, columns, file) else {
            counts.skipped += 1
            return
        }
        let course = Self.nonEmpty(row.cell(columns[.course]).text) ?? named.course
        var dateFaults: [(CellPlace, String, String)] = []
        let day = rowDate(row, columns, file, named: named, faults: &dateFaults)
        var lostSome = false
        var heldByDate: [String] = []
        for column in skillColumns {
            let name = columns.header[column]
            let text = row.cell(column).text
            guard !text.isEmpty else { continue }
            guard let skill = skillID(name, alsoKnownAs: [course]) else { continue }
            let place = columns.place(row, column, file)
            guard dateFaults.isEmpty, let day else {
                // The row's date is bad: each of its skills is held, the date said once.
                lostSome = true
                heldByDate.append(skill)
                continue
            }
            guard let level = level(text) else {
                lostSome = true
                fault(place, Self.notALevel(text), text: text, student: student, skill: skill)
                continue
            }
            record(KhanLevel(name: name, level: level, date: day, course: course, place: place), skill: skill, student: student)
        }
        for (place, message, text) in dateFaults {
            issues.append(place.fault(message))
            students[student].incomplete += heldByDate.map { place.incomplete($0, message, text: text) }
        }
        if lostSome { counts.skipped += 1 }
    }

    private func level(_ text: String) -> MasteryLevel? {
        importer.map.levels[KhanMap.key(text)] ?? KhanValues.level(text)
    }

    private static func notALevel(_ text: String) -> String {
        "\(JSONValue.string(text).briefDescription) is not a mastery level (Mastered, Proficient, Familiar, Attempted, Not started; a map's values.level names others)"
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    /// The day a row's levels are from: its date column, else the last day of the export's span
    /// (its file name), else `as_of`.
    private func rowDate(_ row: SheetRow, _ columns: KhanColumns, _ file: String, named: (lastDay: String?, course: String?), faults: inout [(CellPlace, String, String)]) -> String? {
        let text = row.cell(columns[.date]).text
        guard !text.isEmpty else { return named.lastDay ?? importer.context.asOf }
        switch date(text) {
        case .success(let day): return day
        case .failure(let error):
            faults.append((columns.place(row, columns[.date], file), error.message, text))
            return nil
        }
    }

    /// A number cell (`Mastery Points`, `Mastery %`) kept as Khan wrote it: points not below 0, a
    /// percentage (`80%` or `80`) from 0 to 100.
    private func number(_ row: SheetRow, _ columns: KhanColumns, _ field: KhanField, _ file: String, faults: inout [(CellPlace, String, String)]) -> JSONValue? {
        let text = row.cell(columns[field]).text
        guard !text.isEmpty, !["-", "–", "—"].contains(text) else { return nil }
        let percent = field == .percent
        let digits = percent && text.hasSuffix("%") ? String(text.dropLast()).trimmingCharacters(in: .whitespaces) : text
        guard let value = SheetNumber.value(.text(digits)), value >= 0, !percent || value <= 100 else {
            let wanted = percent ? "a percentage from 0 to 100" : "a number of points"
            faults.append((columns.place(row, columns[field], file), "\(JSONValue.string(text).briefDescription) is not \(wanted)", text))
            return nil
        }
        return value.rounded() == value && abs(value) < 1e15 ? .integer(Int64(value)) : .number(value)
    }

    /// Keeps a Khan skill's level for the student; the same Khan skill read twice keeps its newest
    /// level, and two levels on one day are a fault.
    private mutating func record(_ level: KhanLevel, skill: String, student: Int) {
        if students[student].levels[skill] == nil {
            students[student].levels[skill] = [:]
            students[student].levelOrder[skill] = []
            students[student].skillOrder.append(skill)
        }
        let key = KhanMap.key(level.name)
        if let earlier = students[student].levels[skill]?[key] {
            if earlier.date == level.date, earlier.level != level.level {
                fault(level.place, "\(level.name) is \(level.level.rawValue) here but \(earlier.level.rawValue) at \(earlier.place.location), on the same day (\(level.date))", text: level.place.header, student: student, skill: skill)
                return
            }
            if earlier.date > level.date { return }
        } else {
            students[student].levelOrder[skill]?.append(key)
        }
        students[student].levels[skill]?[key] = level
    }

    // MARK: Assignment scores

    /// A row of the mastery progress export (by student): the course's progress in each week,
    /// kept on the student as `mastery_progress` (docs/import.md). A week is its header as
    /// written, and its first and last days when the header gives them with a year.
    private mutating func readWeeklyRow(_ row: SheetRow, _ columns: KhanColumns, _ weekColumns: [Int], _ file: String) {
        guard let student = student(row, columns, file) else {
            counts.skipped += 1
            return
        }
        var faulty = false
        for column in weekColumns {
            let cell = row.cell(column)
            guard !cell.isBlank else { continue }
            let header = column < columns.header.count ? columns.header[column] : ""
            var text = cell.text
            let isPercent = text.hasSuffix("%")
            if isPercent { text.removeLast() }
            guard let value = SheetNumber.value(.text(text)), value >= 0 else {
                let place = columns.place(row, column, file)
                issues.append(ImportIssue(severity: .fault, file: file, line: row.number, column: place.column, field: header, message: "\(JSONValue.string(cell.text).briefDescription) is not a number of the week's progress"))
                faulty = true
                continue
            }
            // A whole number stays one, as the document's reader reads it back.
            let number: JSONValue = value.rounded() == value && abs(value) < 1e15 ? .integer(Int64(value)) : .number(value)
            var week: [String: JSONValue] = ["week": .string(header), "value": number]
            if isPercent { week["percent"] = .bool(true) }
            let days = header.components(separatedBy: " - ").flatMap { $0.components(separatedBy: " to ") }
            if days.count == 2, case .success(let from) = date(days[0].trimmingWhiteSpace), case .success(let to) = date(days[1].trimmingWhiteSpace) {
                week["from"] = .string(from)
                week["to"] = .string(to)
            }
            students[student].weeks.append(.object(week))
        }
        if faulty { counts.skipped += 1 }
    }

    private mutating func readAssignment(_ row: SheetRow, _ columns: KhanColumns, _ file: String) {
        guard let student = student(row, columns, file) else {
            counts.skipped += 1
            return
        }
        let title = row.cell(columns[.assignment]).text
        let given = row.cell(columns[.assignmentID]).text
        let id = given.isEmpty ? title : given
        let skillName = Self.nonEmpty(row.cell(columns[.skill]).text) ?? Self.nonEmpty(title) ?? id
        let course = Self.nonEmpty(row.cell(columns[.course]).text)
        let unit = Self.nonEmpty(row.cell(columns[.unit]).text)
        guard !id.isEmpty, !skillName.isEmpty, let skill = skillID(skillName, alsoKnownAs: [title, unit, course]) else {
            counts.skipped += 1
            let column = columns[.skill] ?? columns[.assignment] ?? columns[.assignmentID]
            fault(columns.place(row, column, file), id.isEmpty ? "the row names no assignment: it is left out" : "\(JSONValue.string(skillName).briefDescription) makes no skill id: name it in --map skills", text: skillName, student: nil, skill: nil)
            return
        }
        var faults: [(CellPlace, String, String)] = []
        var item = WorkItem(id: id, skill: skill)
        item.extra["source"] = .string("khan")
        if !given.isEmpty, !title.isEmpty, title != given { item.extra["title"] = .string(title) }
        let statusText = row.cell(columns[.status]).text
        var status: KhanValues.Status?
        if !statusText.isEmpty {
            if let mapped = importer.map.statuses[KhanMap.key(statusText)] {
                item.status = mapped
            } else if let read = KhanValues.status(statusText) {
                status = read
            } else {
                faults.append((columns.place(row, columns[.status], file), "\(JSONValue.string(statusText).briefDescription) is not an assignment status (Completed, Completed late, Not started, In progress, Past due, Excused; a map's values.status names others)", statusText))
            }
        }
        let possibleText = row.cell(columns[.pointsPossible]).text
        var possible: Double?
        if !possibleText.isEmpty {
            if let value = SheetNumber.value(.text(possibleText)), value > 0 {
                possible = value
            } else {
                faults.append((columns.place(row, columns[.pointsPossible], file), "\(JSONValue.string(possibleText).briefDescription) is not a number of points above 0", possibleText))
            }
        }
        let scoreText = row.cell(columns[.score]).text
        switch KhanValues.score(scoreText, possible: possible) {
        case .success(let score): item.score = score
        case .failure(let error): faults.append((columns.place(row, columns[.score], file), error.message, scoreText))
        }
        for (field, key) in [(KhanField.due, "due"), (.completed, "completed")] {
            let text = row.cell(columns[field]).text
            guard !text.isEmpty, !["-", "–", "—"].contains(text) else { continue }
            switch date(text) {
            case .success(let day): if field == .due { item.due = day } else { item.extra[key] = .string(day) }
            case .failure(let error): faults.append((columns.place(row, columns[field], file), error.message, text))
            }
        }
        let attemptsText = row.cell(columns[.attempts]).text
        switch SheetNumber.count(row.cell(columns[.attempts])) {
        case .success(let attempts): if let attempts { item.extra["attempts"] = .integer(Int64(attempts)) }
        case .failure(let error): faults.append((columns.place(row, columns[.attempts], file), error.message, attemptsText))
        }
        guard faults.isEmpty else {
            counts.skipped += 1
            for (place, message, text) in faults { fault(place, message, text: text, student: student, skill: skill) }
            return
        }
        if item.status == nil {
            let pastDue = item.due.map { $0 < importer.context.asOf } ?? false
            switch status {
            case .completed(let late)?:
                item.status = item.score != nil ? .graded : .submitted
                if late { item.extra["late"] = .bool(true) }
            case .missing?: item.status = .missing
            case .exempt?: item.status = .exempt
            case .open?, nil: item.status = status == nil && item.score != nil ? .graded : pastDue ? .missing : .assigned
            }
        }
        let place = columns.place(row, columns[.assignment] ?? columns[.assignmentID], file)
        if let same = students[student].work.firstIndex(where: { $0.id == item.id && $0.due == item.due && $0.skill == item.skill }) {
            let earlier = students[student].work[same]
            if earlier.status == item.status, earlier.score == item.score {
                counts.ignored += 1
                return
            }
            counts.skipped += 1
            fault(place, "\(id) due \(item.due ?? "-") is \(Self.describe(item)) here but \(Self.describe(earlier)) at \(students[student].workPlaces[same].location)", text: title, student: student, skill: skill)
            return
        }
        students[student].work.append(item)
        students[student].workPlaces.append(place)
    }

    private static func describe(_ item: WorkItem) -> String {
        "\(item.status?.rawValue ?? "no status"), score \(item.score.map { JSONText.number($0) } ?? "none")"
    }

    // MARK: The document

    mutating func result() -> ImportResult {
        progress?(rowsSeen)
        for (key, entry) in importer.map.skills.sorted(by: { $0.key < $1.key }) where !mapKeysUsed.contains(key) {
            issues.warning(entry.location, "the map names \(JSONValue.string(entry.name).briefDescription), which no skill, unit or course of the export is")
        }
        var built: [Student] = []
        var ids: [String: Int] = [:]
        for record in students {
            let chosen: String? = switch importer.map.studentID {
            case .sisID?: record.sisID
            case .email?: record.email
            case .studentName?: record.name
            default: nil
            }
            if importer.map.studentID != nil, chosen == nil, !warnedFallbackID {
                warnedFallbackID = true
                issues.warning("students", "\(record.name ?? record.email ?? record.sisID ?? "a student") has no \(importer.map.studentID?.rawValue ?? "") in the export: their SIS id, email or name is their id")
            }
            guard let id = chosen ?? record.sisID ?? record.email ?? record.name else { continue }
            var skills: [Skill] = []
            for skillID in record.skillOrder {
                let levels = (record.levelOrder[skillID] ?? []).compactMap { record.levels[skillID]?[$0] }
                guard let first = levels.first, let least = levels.map(\.level).min(), let newest = levels.map(\.date).max() else { continue }
                var mastery: [String: JSONValue] = ["level": .string(least.rawValue), "date": .string(newest), "source": .string("khan")]
                var skill = Skill(id: skillID)
                if levels.count == 1 {
                    if let points = first.points { mastery["points"] = points }
                    if let percent = first.percent { mastery["percent"] = percent }
                    if let course = first.course { mastery["course"] = .string(course) }
                    if let unit = first.unit { mastery["unit"] = .string(unit) }
                    skill.extra["title"] = .string(first.name)
                } else {
                    mastery["skills"] = .array(levels.map { level in
                        var entry: [String: JSONValue] = ["name": .string(level.name), "level": .string(level.level.rawValue), "date": .string(level.date)]
                        if let points = level.points { entry["points"] = points }
                        if let percent = level.percent { entry["percent"] = percent }
                        return .object(entry)
                    })
                }
                skill.extra[MasteryDecoding.key] = .object(mastery)
                skills.append(skill)
            }
            if let earlier = ids[id] {
                // Two records under one id (a student named alone in one file, by email in
                // another): one student.
                built[earlier].skills += skills.filter { skill in !built[earlier].skills.contains { $0.id == skill.id } }
                built[earlier].work += record.work
                built[earlier].incomplete += record.incomplete
                if !record.weeks.isEmpty {
                    var weeks: [JSONValue] = []
                    if case .object(let progress)? = built[earlier].extra["mastery_progress"], case .array(let earlierWeeks)? = progress["weeks"] { weeks = earlierWeeks }
                    built[earlier].extra["mastery_progress"] = .object(["source": .string("khan"), "weeks": .array(weeks + record.weeks)])
                }
                continue
            }
            ids[id] = built.count
            let name = record.name == id ? nil : record.name
            var student = Student(id: id, name: name, skills: skills, work: record.work, incomplete: record.incomplete)
            if !record.weeks.isEmpty { student.extra["mastery_progress"] = .object(["source": .string("khan"), "weeks": .array(record.weeks)]) }
            built.append(student)
        }
        return ImportResult(documents: [ClassDocument(context: importer.context, students: built)], issues: issues.issues, counts: counts)
    }
}
