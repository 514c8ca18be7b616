import Foundation

/// Reads sessions (and optionally work items and self-assessments) from the spreadsheets a
/// school keeps, `.csv`, `.tsv` or `.xlsx`, into one class document.
///
/// One row per session: date, student id and name, skill (or ABA's program and target), prompt
/// level or stage, trials and correct (or a trial-by-trial tally), and optionally independent,
/// setting, staff, delay, probe and notes. Headers are found by their usual names in any case
/// and spelling (`SheetField`), or by a `SheetMap`. A sheet with a status, score or due column is
/// work; one with a rating column is self-assessments.
///
/// Bad data costs the least it can: a bad cell leaves its row out, is reported with
/// `file:row:column` and the cell's text, and is recorded in the student's `incomplete` skills,
/// so that `trellis evaluate` leaves that skill undecided rather than decide on what is left.
/// Blank rows and totals rows are skipped and said so. docs/import.md gives the whole mapping.
package struct SheetImporter: Sendable {
    /// The class-level fields the document starts from (`--header`, `--as-of`).
    package var context: ClassContext
    package var map: SheetMap
    /// How slashed dates are read; the map's `date_order` when nil; without either, a slashed
    /// date is a fault.
    package var dateOrder: SheetDateOrder?

    package init(context: ClassContext = ClassContext(asOf: RosterReader.today()), map: SheetMap = SheetMap(), dateOrder: SheetDateOrder? = nil) {
        self.context = context
        self.map = map
        self.dateOrder = dateOrder
    }

    /// Imports every sheet of `paths` into one class document, held in memory. `progress` is
    /// called with the rows read so far, every 1,000 rows.
    package func importFiles(_ paths: [String], progress: (@Sendable (Int) -> Void)? = nil) -> ImportResult {
        do {
            return try read(paths, progress: progress).result()
        } catch {
            let issue = ImportIssue(file: paths.joined(separator: ", "), message: error.description)
            return ImportResult(documents: [ClassDocument(context: context, students: [])], issues: [issue], counts: ImportCounts())
        }
    }

    /// Reads every sheet of `paths` and checks every row; the students are then handed out one
    /// at a time by ``SheetImport/forEachStudent(_:)``, from a temporary file, so that a large
    /// sheet is never held whole.
    ///
    /// - Throws: a `TemporaryFileError` when the temporary file cannot be made or written.
    package func read(_ paths: [String], progress: (@Sendable (Int) -> Void)? = nil) throws(TemporaryFileError) -> SheetImport {
        var run = try SheetRun(importer: self, progress: progress)
        for path in paths { try run.read(path) }
        return run.finish()
    }
}

/// Where a value came from: the file (and sheet), the row, the column.
struct CellPlace: Hashable {
    var file: String
    var row: Int
    var column: String
    var header: String

    var location: String { "\(file):\(row):\(column)" }
}

private struct SheetRun {
    let importer: SheetImporter
    let progress: (@Sendable (Int) -> Void)?
    var issues = IssueLog()
    var counts = ImportCounts()
    var rowsSeen = 0

    struct SkillRecord {
        var domain: String?
        /// Where each session starts in the spill, in the sheet's order.
        var sessions: [Int] = []
    }

    struct StudentRecord {
        var id: String
        var name: String?
        var skillOrder: [String] = []
        var skills: [String: SkillRecord] = [:]
        var work: [WorkItem] = []
        var selfAssessments: [SelfAssessment] = []
        var incomplete: [IncompleteSkill] = []
    }

    var students: [StudentRecord] = []
    var studentIndex: [String: Int] = [:]
    var promptTexts: Set<String> = []
    var stageTexts: Set<String> = []

    let spill: SessionSpill
    /// A write to the spill that failed: the import cannot be completed.
    var spillError: TemporaryFileError?

    init(importer: SheetImporter, progress: (@Sendable (Int) -> Void)?) throws(TemporaryFileError) {
        self.importer = importer
        self.progress = progress
        spill = try SessionSpill()
    }

    var dateOrder: SheetDateOrder? { importer.dateOrder ?? importer.map.dateOrder }

    // MARK: Files and sheets

    mutating func read(_ path: String) throws(TemporaryFileError) {
        defer { progress?(rowsSeen) }
        readFile(path)
        if let spillError { throw spillError }
    }

    private mutating func readFile(_ path: String) {
        for sheet in SheetFile.sheets(path, issues: &issues) ?? [] {
            guard let name = sheet.workbookName else {
                readSheet(sheet.source, kind: nil, isWorkbookSheet: false)
                continue
            }
            let chosen = importer.map.sheets[name.lowercased()]
            if case .some(.none) = chosen {
                issues.warning(path, "the sheet \(name) is skipped (the map says so)")
                continue
            }
            readSheet(sheet.source, kind: chosen ?? nil, isWorkbookSheet: true)
        }
    }

    /// Reads one sheet: finds its header among its first rows, then reads every row after it.
    private mutating func readSheet(_ source: any SheetRowSource, kind given: SheetKind?, isWorkbookSheet: Bool) {
        var columns: SheetColumns?
        var kind = given
        var blankRows: [Int] = []
        var rowsBeforeHeader = 0
        var skippedSheet = false
        var warnedNameAsID = false
        do {
            try source.forEachRow { row in
                guard spillError == nil else { return false }
                rowsSeen += 1
                if rowsSeen % 1000 == 0 { progress?(rowsSeen) }
                guard let found = columns else {
                    // The header is the first row that names a student and something to record;
                    // title rows above it are passed over.
                    guard !row.isBlank else { return true }
                    let candidate = SheetColumns(header: row.cells.map(\.text), map: importer.map)
                    let hasStudent = candidate[.studentID] != nil || candidate[.studentName] != nil || candidate[.firstName] != nil
                    if hasStudent, let detected = candidate.kind ?? given {
                        columns = candidate
                        kind = given ?? detected
                        return true
                    }
                    rowsBeforeHeader += 1
                    if rowsBeforeHeader >= 10 {
                        skippedSheet = true
                        return false
                    }
                    return true
                }
                if row.isBlank {
                    counts.ignored += 1
                    blankRows.append(row.number)
                    return true
                }
                counts.read += 1
                if let total = totalsLabel(row, found) {
                    counts.ignored += 1
                    issues.warning(source.name, line: row.number, field: nil, "a totals row (\(JSONValue.string(total).briefDescription)), skipped")
                    return true
                }
                if found[.studentID] == nil, !warnedNameAsID {
                    warnedNameAsID = true
                    issues.warning(source.name, line: 1, field: nil, "no student id column: each student's name is their id (add a column such as Student ID to keep two students of one name apart)")
                }
                switch kind {
                case .sessions?: readSession(row, found, source.name)
                case .work?: readWork(row, found, source.name)
                case .selfAssessments?: readSelfAssessment(row, found, source.name)
                case nil: break
                }
                return true
            }
        } catch {
            issues.fault(source.name, error.description.replacingOccurrences(of: "\(source.name): ", with: ""))
            return
        }
        if columns == nil {
            let what = "no header row names a student (Student ID, Student Name...) and a column to record (trials, correct, tally, prompt level, stage, status, score or rating)"
            if isWorkbookSheet {
                issues.warning(source.name, "the sheet is skipped: \(what)")
            } else {
                issues.fault(source.name, "nothing to import: \(what)\(skippedSheet ? " in its first 10 rows" : "")")
            }
            return
        }
        if !blankRows.isEmpty {
            let shown = blankRows.prefix(10).map(String.init).joined(separator: ", ") + (blankRows.count > 10 ? ", ..." : "")
            issues.warning(source.name, "\(blankRows.count) blank \(blankRows.count == 1 ? "row" : "rows") skipped (\(shown))")
        }
    }

    /// The label of a totals row (`Total`, `Totals`, `Average`...) in its first cells, if it is one.
    /// The first three letters of every totals label.
    private static let totalsStarts: Set<String> = ["tot", "gra", "sum", "ave", "avg", "mea", "cou", "sub", "ove"]

    private func totalsLabel(_ row: SheetRow, _ columns: SheetColumns) -> String? {
        let words: Set<String> = ["total", "totals", "grandtotal", "sum", "sums", "average", "averages", "avg", "mean", "count", "subtotal", "overall"]
        let places = [columns[.studentID], columns[.studentName], columns[.firstName], columns[.date], columns[.skill], 0].compactMap { $0 }
        for column in places {
            let text = row.cell(column).text
            // Every label starts with one of these: most cells need no closer look.
            guard Self.totalsStarts.contains(String(String.UnicodeScalarView(text.unicodeScalars.lazy.filter(\.properties.isAlphabetic).prefix(3))).lowercased()) else { continue }
            let normalised = SheetField.normalise(text.split(separator: ":").first.map(String.init) ?? text)
            if words.contains(normalised) || words.contains(where: { normalised.hasPrefix($0) && normalised.count <= $0.count + 12 && text.contains(" ") && $0.count >= 5 }) {
                return text
            }
        }
        return nil
    }

    // MARK: Rows

    /// Cell faults of one row, gathered before the row is kept or left out.
    struct RowFaults {
        var items: [(place: CellPlace, message: String, text: String)] = []

        mutating func add(_ place: CellPlace, _ message: String, text: String) {
            items.append((place, message, text))
        }
    }

    private func place(_ row: SheetRow, _ columns: SheetColumns, _ column: Int?, _ file: String) -> CellPlace {
        let index = column ?? 0
        return CellPlace(file: file, row: row.number, column: SheetField.letter(index), header: index < columns.header.count ? columns.header[index] : "")
    }

    /// The student a row belongs to (created on first sight); nil, with a fault, when the row names none.
    private mutating func student(_ row: SheetRow, _ columns: SheetColumns, _ file: String) -> Int? {
        var name = row.cell(columns[.studentName]).text
        if name.isEmpty {
            name = [row.cell(columns[.firstName]).text, row.cell(columns[.lastName]).text].filter { !$0.isEmpty }.joined(separator: " ")
        }
        let id = columns[.studentID].map { row.cell($0).text } ?? name
        guard !id.isEmpty else {
            let column = columns[.studentID] ?? columns[.studentName] ?? columns[.firstName]
            fault(place(row, columns, column, file), "the row names no student: it is left out", text: "", student: nil, skill: nil)
            return nil
        }
        if let index = studentIndex[id] {
            if students[index].name == nil, !name.isEmpty, name != id { students[index].name = name }
            return index
        }
        studentIndex[id] = students.count
        students.append(StudentRecord(id: id, name: name.isEmpty || name == id ? nil : name))
        return students.count - 1
    }

    /// The skill a row is about: its skill column, else ABA's target (within its program when
    /// both are given), else the program.
    private func skill(_ row: SheetRow, _ columns: SheetColumns) -> String {
        let skill = row.cell(columns[.skill]).text
        if !skill.isEmpty { return skill }
        let program = row.cell(columns[.program]).text
        let target = row.cell(columns[.target]).text
        switch (program.isEmpty, target.isEmpty) {
        case (false, false): return "\(program): \(target)"
        case (true, false): return target
        default: return program
        }
    }

    /// Reports a cell fault; when the student and skill are known, the skill is recorded as incomplete.
    private mutating func fault(_ place: CellPlace, _ message: String, text: String, student: Int?, skill: String?) {
        issues.append(place.fault(message))
        guard let student, let skill, !skill.isEmpty else { return }
        students[student].incomplete.append(place.incomplete(skill, message, text: text))
    }

    private mutating func flush(_ faults: RowFaults, student: Int?, skill: String?) -> Bool {
        guard !faults.items.isEmpty else { return true }
        counts.skipped += 1
        for item in faults.items { fault(item.place, item.message, text: item.text, student: student, skill: skill) }
        return false
    }

    private func date(_ cell: SheetCell) -> Result<String, SheetValueError> {
        switch cell {
        case .date(let serial, let epoch1904):
            guard let day = SheetDate.day(serial: serial, epoch1904: epoch1904) else { return .failure(SheetValueError("\(SheetNumber.text(serial)) is not a date Excel can show")) }
            return .success(day)
        case .number(let number, let text):
            // A date typed into a cell formatted as a number.
            if number >= 20000, number < 80000, number.rounded() == number, let day = SheetDate.day(serial: number, epoch1904: false) {
                return .failure(SheetValueError("\(text) is a number, not a date (as a date it would be \(day)): format the column as dates"))
            }
            return .failure(SheetValueError("\(text) is not a date"))
        default: return SheetDate.day(cell.text, order: dateOrder)
        }
    }

    private mutating func readSession(_ row: SheetRow, _ columns: SheetColumns, _ file: String) {
        guard let student = student(row, columns, file) else {
            counts.skipped += 1
            return
        }
        let skillID = skill(row, columns)
        guard !skillID.isEmpty else {
            counts.skipped += 1
            let column = columns[.skill] ?? columns[.target] ?? columns[.program]
            fault(place(row, columns, column, file), "the row names no skill: it is left out", text: "", student: nil, skill: nil)
            return
        }
        var faults = RowFaults()
        var session = Session()
        let dateCell = row.cell(columns[.date])
        if columns[.date] == nil {
            faults.add(place(row, columns, 0, file), "the sheet has no date column: a session needs its date", text: "")
        } else if dateCell.isBlank {
            faults.add(place(row, columns, columns[.date], file), "the date is empty", text: "")
        } else {
            switch date(dateCell) {
            case .success(let day): session.date = day
            case .failure(let error): faults.add(place(row, columns, columns[.date], file), error.message, text: dateCell.text)
            }
        }
        func count(_ field: SheetField) -> Int? {
            let cell = row.cell(columns[field])
            switch SheetNumber.count(cell) {
            case .success(let value): return value
            case .failure(let error):
                faults.add(place(row, columns, columns[field], file), error.message, text: cell.text)
                return nil
            }
        }
        session.trials = count(.trials)
        session.correct = count(.correct)
        session.independent = count(.independent)
        if let column = columns[.tally], !row.cell(column).isBlank {
            let text = row.cell(column).text
            var tally = SheetTally()
            if let marks = importer.map.tallyCorrect { tally.correctMarks = Set(marks) }
            if let marks = importer.map.tallyIncorrect { tally.incorrectMarks = Set(marks) }
            switch tally.count(text) {
            case .success(let counted?):
                if let trials = session.trials, trials != counted.trials {
                    faults.add(place(row, columns, column, file), "the tally has \(counted.trials) trials, the trials column \(trials)", text: text)
                } else if let correct = session.correct, correct != counted.correct {
                    faults.add(place(row, columns, column, file), "the tally has \(counted.correct) correct, the correct column \(correct)", text: text)
                } else {
                    session.trials = counted.trials
                    session.correct = counted.correct
                }
            case .success(nil): break
            case .failure(let error): faults.add(place(row, columns, column, file), error.message, text: text)
            }
        }
        if let trials = session.trials {
            for (field, value) in [(SheetField.correct, session.correct), (.independent, session.independent)] {
                if let value, value > trials {
                    faults.add(place(row, columns, columns[field], file), "\(value) is more than the trials (\(trials))", text: row.cell(columns[field]).text)
                }
            }
        } else if session.correct != nil {
            faults.add(place(row, columns, columns[.correct], file), "correct is given without the number of trials", text: row.cell(columns[.correct]).text)
        }
        let setting = row.cell(columns[.setting]).text
        if !setting.isEmpty { session.setting = setting }
        let staff = row.cell(columns[.staff]).text
        if !staff.isEmpty { session.staff = staff }
        if let column = columns[.delay], !row.cell(column).isBlank {
            if let seconds = SheetNumber.value(row.cell(column)) {
                session.extra["delay"] = .number(seconds)
            } else {
                faults.add(place(row, columns, column, file), "\(JSONValue.string(row.cell(column).text).briefDescription) is not a number of seconds", text: row.cell(column).text)
            }
        }
        if let column = columns[.probe], !row.cell(column).isBlank {
            switch SheetField.normalise(row.cell(column).text) {
            case "y", "yes", "true", "1", "x", "probe", "p": session.extra["probe"] = .bool(true)
            case "n", "no", "false", "0": session.extra["probe"] = .bool(false)
            default: faults.add(place(row, columns, column, file), "\(JSONValue.string(row.cell(column).text).briefDescription) is not yes or no", text: row.cell(column).text)
            }
        }
        let notes = row.cell(columns[.notes]).text
        if !notes.isEmpty { session.extra["notes"] = .string(notes) }
        var pending = PendingSession(session: session)
        for (field, isPrompt) in [(SheetField.promptLevel, true), (.stage, false)] {
            let text = row.cell(columns[field]).text
            guard !text.isEmpty else { continue }
            let value = importer.map.mapped(field, text) ?? text
            if isPrompt {
                pending.promptText = value
                pending.promptPlace = place(row, columns, columns[field], file)
            } else {
                pending.stageText = value
                pending.stagePlace = place(row, columns, columns[field], file)
            }
        }
        guard flush(faults, student: student, skill: skillID) else { return }
        if let text = pending.promptText { promptTexts.insert(text) }
        if let text = pending.stageText { stageTexts.insert(text) }
        if students[student].skills[skillID] == nil {
            students[student].skills[skillID] = SkillRecord()
            students[student].skillOrder.append(skillID)
        }
        let domain = row.cell(columns[.domain]).text
        if !domain.isEmpty, students[student].skills[skillID]?.domain == nil { students[student].skills[skillID]?.domain = domain }
        do {
            let offset = try spill.append(pending)
            students[student].skills[skillID]?.sessions.append(offset)
        } catch {
            spillError = spillError ?? error
        }
    }

    private static let statusWords: [String: WorkItem.Status] = [
        "assigned": .assigned, "notstarted": .assigned, "open": .assigned, "todo": .assigned, "inprogress": .assigned, "created": .assigned,
        "submitted": .submitted, "turnedin": .submitted, "handedin": .submitted, "done": .submitted, "complete": .submitted, "completed": .submitted,
        "late": .submitted, "submittedlate": .submitted, "turnedinlate": .submitted, "donelate": .submitted,
        "graded": .graded, "returned": .graded, "marked": .graded, "scored": .graded,
        "missing": .missing, "notsubmitted": .missing, "notturnedin": .missing, "incomplete": .missing,
        "exempt": .exempt, "excused": .exempt, "ex": .exempt, "na": .exempt,
    ]

    private mutating func readWork(_ row: SheetRow, _ columns: SheetColumns, _ file: String) {
        guard let student = student(row, columns, file) else {
            counts.skipped += 1
            return
        }
        let skillID = skill(row, columns)
        var faults = RowFaults()
        var item = WorkItem()
        let id = row.cell(columns[.work]).text
        item.id = id.isEmpty ? nil : id
        if !skillID.isEmpty { item.skill = skillID }
        let statusText = row.cell(columns[.status]).text
        if !statusText.isEmpty {
            let mapped = importer.map.mapped(.status, statusText) ?? statusText
            if let status = WorkItem.Status(rawValue: mapped) ?? Self.statusWords[SheetField.normalise(mapped)] {
                item.status = status
            } else {
                faults.add(place(row, columns, columns[.status], file), "\(JSONValue.string(statusText).briefDescription) is not a status (assigned, submitted, graded, missing, exempt; a map's values.status names others)", text: statusText)
            }
        }
        let scoreCell = row.cell(columns[.score])
        if !scoreCell.isBlank {
            let maximum = SheetNumber.value(row.cell(columns[.maxPoints]))
            if let value = SheetNumber.value(scoreCell) {
                let score: Double
                if let maximum, maximum > 0 {
                    score = value / maximum
                } else if scoreCell.text.hasSuffix("%") || value > 1 {
                    score = scoreCell.text.hasSuffix("%") ? value : value / 100
                } else {
                    score = value
                }
                if (0...1).contains(score) {
                    item.score = score
                } else {
                    faults.add(place(row, columns, columns[.score], file), "\(JSONValue.string(scoreCell.text).briefDescription) is outside the score's range\(maximum.map { " (0 to \(SheetNumber.text($0)))" } ?? " (0 to 100%)")", text: scoreCell.text)
                }
            } else {
                faults.add(place(row, columns, columns[.score], file), "\(JSONValue.string(scoreCell.text).briefDescription) is not a number", text: scoreCell.text)
            }
        }
        let dueCell = row.cell(columns[.due])
        if !dueCell.isBlank {
            switch date(dueCell) {
            case .success(let day): item.due = day
            case .failure(let error): faults.add(place(row, columns, columns[.due], file), error.message, text: dueCell.text)
            }
        }
        if item.status == nil { item.status = item.score != nil ? .graded : .assigned }
        let modality = row.cell(columns[.modality]).text
        if !modality.isEmpty { item.modality = modality }
        guard flush(faults, student: student, skill: item.skill) else { return }
        students[student].work.append(item)
    }

    private mutating func readSelfAssessment(_ row: SheetRow, _ columns: SheetColumns, _ file: String) {
        guard let student = student(row, columns, file) else {
            counts.skipped += 1
            return
        }
        let skillID = skill(row, columns)
        var faults = RowFaults()
        var assessment = SelfAssessment()
        if !skillID.isEmpty { assessment.skill = skillID }
        let dateCell = row.cell(columns[.date])
        if !dateCell.isBlank {
            switch date(dateCell) {
            case .success(let day): assessment.date = day
            case .failure(let error): faults.add(place(row, columns, columns[.date], file), error.message, text: dateCell.text)
            }
        }
        let ratingText = row.cell(columns[.rating]).text
        if !ratingText.isEmpty {
            let mapped = importer.map.mapped(.rating, ratingText) ?? ratingText
            let words: [String: SelfAssessment.Rating] = ["green": .green, "g": .green, "🟢": .green, "yellow": .yellow, "y": .yellow, "amber": .yellow, "🟡": .yellow, "red": .red, "r": .red, "🔴": .red]
            if let rating = SelfAssessment.Rating(rawValue: mapped) ?? words[mapped.lowercased()] {
                assessment.rating = rating
            } else {
                faults.add(place(row, columns, columns[.rating], file), "\(JSONValue.string(ratingText).briefDescription) is not a rating (green, yellow, red)", text: ratingText)
            }
        }
        guard flush(faults, student: student, skill: assessment.skill) else { return }
        students[student].selfAssessments.append(assessment)
    }

    // MARK: The document

    /// The ladders chosen from every level the sheets hold, and the import ready to hand out.
    mutating func finish() -> SheetImport {
        var context = importer.context
        let promptLadder = KnownLadder.choose(
            given: importer.map.ladders["prompt"] ?? context.ladders.prompt, explicit: importer.map.ladders["prompt"] != nil, known: KnownLadder.prompt, for: promptTexts)
        let stageLadder = KnownLadder.choose(
            given: importer.map.ladders["stage"] ?? context.ladders.stage, explicit: importer.map.ladders["stage"] != nil, known: KnownLadder.stage, for: stageTexts)
        var ladders = context.ladders
        for (name, levels) in importer.map.ladders where name != "prompt" && name != "stage" { ladders.other[name] = levels }
        if promptLadder.levels != ladders.prompt {
            issues.warning(
                "ladders", "the prompt levels are those of the ladder \(promptLadder.levels.joined(separator: ", ")): the document uses it (give ladders.prompt in --map to choose another)")
        }
        if stageLadder.levels != ladders.stage {
            issues.warning("ladders", "the stages are those of the ladder \(stageLadder.levels.joined(separator: ", ")): the document uses it (give ladders.stage in --map to choose another)")
        }
        ladders.prompt = promptLadder.levels
        ladders.stage = stageLadder.levels
        context.ladders = ladders
        return SheetImport(
            context: context, students: students, spill: spill, promptLadder: promptLadder, stageLadder: stageLadder, issues: issues, counts: counts)
    }
}

/// A sheet import whose every row is read and checked, and whose students are handed out one at
/// a time: their sessions wait in a temporary file, so that a large sheet is never held whole.
///
/// Faults that only the chosen ladders reveal (a level on none of them) are found as the
/// students are handed out, so ``issues``, ``counts`` and ``status`` are final once
/// ``forEachStudent(_:)`` has returned.
package final class SheetImport {
    /// The class-level fields, with the ladders the import chose.
    package let context: ClassContext
    /// Faults and warnings, in the order the rows were read.
    package private(set) var issues: [ImportIssue]
    package private(set) var counts: ImportCounts
    /// The sessions, work items and self-assessments handed out so far.
    package private(set) var imported = ImportedCounts()

    private var students: [SheetRun.StudentRecord]
    private let spill: SessionSpill
    private let promptLadder: KnownLadder
    private let stageLadder: KnownLadder

    fileprivate init(
        context: ClassContext, students: [SheetRun.StudentRecord], spill: SessionSpill, promptLadder: KnownLadder, stageLadder: KnownLadder, issues: IssueLog,
        counts: ImportCounts
    ) {
        self.context = context
        self.students = students
        self.spill = spill
        self.promptLadder = promptLadder
        self.stageLadder = stageLadder
        self.issues = issues.issues
        self.counts = counts
    }

    /// The number of students the import holds.
    package var studentCount: Int { students.count }

    /// Unusable when no student could be read; partial when a fault left something out.
    package var status: ImportStatus {
        if students.isEmpty { return .unusable }
        return issues.contains { $0.severity == .fault } ? .partial : .clean
    }

    /// Calls `body` with each student, in the order the sheets first name them, each skill's
    /// sessions oldest first (rows of one day in the sheet's order). Each student is handed out
    /// once: a second call hands out none.
    ///
    /// - Throws: what `body` throws; a `TemporaryFileError` when a session cannot be read back.
    package func forEachStudent(_ body: (Student) throws -> Void) throws {
        for index in students.indices {
            let student = try build(index)
            students[index].skills = [:]
            students[index].skillOrder = []
            students[index].work = []
            students[index].selfAssessments = []
            try body(student)
        }
    }

    /// The whole import as one document in memory.
    package func result() throws(TemporaryFileError) -> ImportResult {
        var built: [Student] = []
        built.reserveCapacity(students.count)
        for index in students.indices { built.append(try build(index)) }
        return ImportResult(documents: [ClassDocument(context: context, students: built)], issues: issues, counts: counts)
    }

    private func build(_ index: Int) throws(TemporaryFileError) -> Student {
        let record = students[index]
        var incomplete = record.incomplete
        var skills: [Skill] = []
        for skillID in record.skillOrder {
            guard let skill = record.skills[skillID] else { continue }
            var sessions: [(date: String, session: Session)] = []
            sessions.reserveCapacity(skill.sessions.count)
            for offset in skill.sessions {
                let pending = try spill.session(at: offset)
                var session = pending.session
                var bad = false
                if let text = pending.promptText, let place = pending.promptPlace {
                    if let level = promptLadder.level(text) { session.promptLevel = level } else {
                        bad = true
                        fault(place, "\(JSONValue.string(text).briefDescription) is not on the prompt ladder (\(promptLadder.levels.joined(separator: ", ")); a map's values.prompt_level or ladders.prompt names others)", text: text, skill: skillID, into: &incomplete)
                    }
                }
                if let text = pending.stageText, let place = pending.stagePlace {
                    if let level = stageLadder.level(text) { session.stage = level } else {
                        bad = true
                        fault(place, "\(JSONValue.string(text).briefDescription) is not on the stage ladder (\(stageLadder.levels.joined(separator: ", ")); a map's values.stage or ladders.stage names others)", text: text, skill: skillID, into: &incomplete)
                    }
                }
                if bad {
                    counts.skipped += 1
                    continue
                }
                sessions.append((session.date ?? "", session))
            }
            // Oldest first, as the contract wants; rows of one day keep the sheet's order.
            let ordered = sessions.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element.session)
            imported.sessions += ordered.count
            skills.append(Skill(id: skillID, domain: skill.domain, sessions: ordered))
        }
        imported.students += 1
        imported.workItems += record.work.count
        imported.selfAssessments += record.selfAssessments.count
        return Student(id: record.id, name: record.name, skills: skills, work: record.work, selfAssessments: record.selfAssessments, incomplete: incomplete)
    }

    private func fault(_ place: CellPlace, _ message: String, text: String, skill: String, into incomplete: inout [IncompleteSkill]) {
        issues.append(ImportIssue(severity: .fault, file: place.file, line: place.row, column: place.column, field: place.header.isEmpty ? nil : place.header, message: message))
        let header = place.header.isEmpty ? place.column : place.header
        incomplete.append(IncompleteSkill(skill: skill, message: "\(header): \(message)", location: place.location, text: text.isEmpty ? nil : text))
    }
}

/// What an import handed out, counted, for the summary line.
package struct ImportedCounts: Sendable, Hashable {
    package var students = 0
    package var sessions = 0
    package var workItems = 0
    package var selfAssessments = 0

    package init() {}
}
