import Foundation

/// Reads Google Classroom's data into work items: the gradebook CSV that the Grades page
/// downloads (read through the bundled `classroom` gradebook profile), or the Classroom API's
/// answers saved as JSON (`courses.courseWork.list`, `courses.courseWork.studentSubmissions.list`,
/// and optionally `courses.students.list` for names and `courses.topics.list` for topics).
///
/// From the API, each student submission of a published assignment with a skill is one work
/// item: its status from the submission's `state` (and the due date, for work not turned in),
/// its score `assignedGrade / maxPoints`, its due day where the school is (`timeZone`), and
/// `late` kept. An assignment's skill is the map's (by title, then topic), else its topic's name
/// as a skill id; an assignment with neither is left out with a warning. docs/import.md gives
/// the whole mapping.
package struct ClassroomImporter: Sendable {
    /// The class-level fields the document starts from (`--header`, `--as-of`).
    package var context: ClassContext
    package var map: AssignmentMap
    /// Where the school is: the API gives due dates and times in UTC, and a due day is the day
    /// where the school is.
    package var timeZone: TimeZone
    /// How slashed due dates of a gradebook CSV are read.
    package var dateOrder: SheetDateOrder?

    /// What `source` says on every imported work item.
    package static let source = "google-classroom"

    package init(
        context: ClassContext = ClassContext(asOf: RosterReader.today()), map: AssignmentMap = AssignmentMap(), timeZone: TimeZone = .current,
        dateOrder: SheetDateOrder? = nil
    ) {
        self.context = context
        self.map = map
        self.timeZone = timeZone
        self.dateOrder = dateOrder
    }

    /// Imports the files (all gradebook CSV, or all API JSON) into one class document.
    package func importFiles(_ paths: [String]) -> ImportResult {
        let json = paths.filter(Self.isJSON)
        let sheets = paths.filter { !Self.isJSON($0) }
        if !json.isEmpty, !sheets.isEmpty {
            let issue = ImportIssue(
                file: sheets[0],
                message: "give either the gradebook CSV or the API's JSON files, not both: they hold the same work twice (import each on its own, and merge them only if they are different classes)")
            return ImportResult(documents: [], issues: [issue], counts: ImportCounts())
        }
        guard json.isEmpty else {
            var run = ClassroomAPIRun(importer: self)
            for path in json { run.read(path) }
            return run.result()
        }
        guard let profile = GradebookProfile.bundled("classroom") else {
            return ImportResult(documents: [], issues: [ImportIssue(file: "classroom", message: "the bundled classroom profile is missing from this build")], counts: ImportCounts())
        }
        return GradebookImporter(profile: profile, context: context, map: map, dateOrder: dateOrder).importFiles(sheets)
    }

    /// A `.json` file, or a file that starts as JSON does.
    static func isJSON(_ path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") { return true }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return false }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        let first = head.drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }.first
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    /// The day a due date and time in UTC (the API's `dueDate` and `dueTime`) falls on in `timeZone`.
    static func dueDay(date: JSONValue?, time: JSONValue?, timeZone: TimeZone) -> Result<String?, SheetValueError> {
        guard let date, date != .null else {
            if let time, time != .null { return .failure(SheetValueError("dueTime is given without a dueDate")) }
            return .success(nil)
        }
        guard case .object(let parts) = date, let year = whole(parts["year"]), let month = whole(parts["month"]), let day = whole(parts["day"]) else {
            return .failure(SheetValueError("dueDate: expected {\"year\": ..., \"month\": ..., \"day\": ...}, got \(date.briefDescription)"))
        }
        let text = String(format: "%04d-%02d-%02d", year, month, day)
        guard case .success = ImportDate.day(text), year >= 1 else {
            return .failure(SheetValueError("dueDate: \(year)-\(month)-\(day) is not a calendar day"))
        }
        guard let time, time != .null else { return .success(text) }
        guard case .object(let clock) = time else { return .failure(SheetValueError("dueTime: expected {\"hours\": ..., \"minutes\": ...}, got \(time.briefDescription)")) }
        // The API leaves out a field that is 0.
        let hours = clock["hours"] == nil ? 0 : whole(clock["hours"])
        let minutes = clock["minutes"] == nil ? 0 : whole(clock["minutes"])
        let seconds = clock["seconds"] == nil ? 0 : whole(clock["seconds"])
        guard let hours, let minutes, let seconds, (0...23).contains(hours), (0...59).contains(minutes), (0...60).contains(seconds) else {
            return .failure(SheetValueError("dueTime: \(time.briefDescription) is not a time of day"))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let instant = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hours, minute: minutes, second: seconds)) else {
            return .failure(SheetValueError("dueDate and dueTime are not a moment"))
        }
        calendar.timeZone = timeZone
        let local = calendar.dateComponents([.year, .month, .day], from: instant)
        return .success(String(format: "%04d-%02d-%02d", local.year ?? year, local.month ?? month, local.day ?? day))
    }

    /// A whole number as JSON writes it (`3`, `3.0`).
    static func whole(_ value: JSONValue?) -> Int? {
        switch value {
        case .integer(let number)?: return Int(exactly: number)
        case .number(let number)? where number.rounded() == number && abs(number) < 1e9: return Int(number)
        default: return nil
        }
    }
}

/// One import of API answers: every file is read first, then the document is built, so the
/// order of the files does not matter.
private struct ClassroomAPIRun {
    let importer: ClassroomImporter
    var issues = IssueLog()
    var counts = ImportCounts()
    var resources: [(file: String, resource: ClassroomAPIReader.Resource)] = []
    /// Per list, how many answers were read and how many said more pages follow.
    var pages: [ClassroomAPIReader.Kind: (answers: Int, unfinished: Int, file: String)] = [:]

    init(importer: ClassroomImporter) {
        self.importer = importer
    }

    mutating func read(_ path: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            issues.fault(path, "cannot read the file")
            return
        }
        for answer in ClassroomAPIReader.read(Array(data), file: path, issues: &issues) {
            for kind in answer.kinds {
                var entry = pages[kind] ?? (answers: 0, unfinished: 0, file: path)
                entry.answers += 1
                if answer.hasNextPage { entry.unfinished += 1 }
                pages[kind] = entry
            }
            if answer.isEmpty {
                // The API leaves out an empty list: `{}` is a list with nothing in it.
                issues.warning(path, line: answer.line, "an empty answer (the API writes an empty list as {})")
            }
            resources += answer.resources.map { (file: path, resource: $0) }
        }
    }

    struct Work {
        var id: String
        var title: String
        var file: String
        var line: Int
        var due: String?
        var maxPoints: Double?
        var skill: String?
        /// Why the assignment's submissions cannot be read: a bad due date or maximum.
        var broken: String?
        /// Drafts and deleted assignments have no work items.
        var ignored = false
    }

    struct StudentRecord {
        var id: String
        var name: String?
        var work: [WorkItem] = []
        var incomplete: [IncompleteSkill] = []
        /// Submissions read, by assignment: the line, to name a second one.
        var submissions: [String: (place: String, value: JSONValue)] = [:]
    }

    var work: [String: Work] = [:]
    var topics: [String: String] = [:]
    var students: [StudentRecord] = []
    var studentIndex: [String: Int] = [:]
    var courses: Set<String> = []
    /// Where the first assignment without a skill was read, for the fault when none has one.
    var firstUnmapped: (file: String, line: Int)?

    private static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value, !text.isEmpty { return text }
        return nil
    }

    /// The key of a course's resource: ids are unique within their course only.
    private static func key(_ course: String?, _ id: String) -> String { "\(course ?? "")\u{1F}\(id)" }

    private mutating func student(_ id: String) -> Int {
        if let index = studentIndex[id] { return index }
        studentIndex[id] = students.count
        students.append(StudentRecord(id: id))
        return students.count - 1
    }

    private mutating func fault(_ file: String, _ line: Int, _ field: String?, _ message: String, student: Int? = nil, skill: String? = nil, text: String? = nil) {
        issues.fault(file, line: line, field: field, message)
        if let student, let skill {
            let entry = IncompleteSkill(skill: skill, message: (field.map { "\($0): " } ?? "") + message, location: "\(file):\(line)", text: text)
            if !students[student].incomplete.contains(entry) { students[student].incomplete.append(entry) }
        }
    }

    // MARK: Topics, assignments, students

    private mutating func readTopics() {
        for (file, resource) in resources where resource.kind == .topic {
            guard case .object(let fields) = resource.value, let id = Self.text(fields["topicId"]) else {
                issues.warning(file, line: resource.line, "a topic without a topicId: skipped")
                continue
            }
            if let name = Self.text(fields["name"]) { topics[Self.key(Self.text(fields["courseId"]), id)] = name }
        }
    }

    private mutating func readWork() {
        var read: [String: JSONValue] = [:]
        for (file, resource) in resources where resource.kind == .courseWork {
            counts.read += 1
            guard case .object(let fields) = resource.value, let id = Self.text(fields["id"]) else {
                counts.skipped += 1
                issues.fault(file, line: resource.line, field: "id", "an assignment (courseWork) without an id: it is left out")
                continue
            }
            let course = Self.text(fields["courseId"])
            let key = Self.key(course, id)
            if let earlier = read[key] {
                counts.ignored += 1
                if earlier != resource.value {
                    issues.warning(file, line: resource.line, field: "id", "the assignment \(id) is read twice, differently: the first is kept")
                }
                continue
            }
            read[key] = resource.value
            if let course { courses.insert(course) }
            let title = Self.text(fields["title"]) ?? id
            var item = Work(id: id, title: title, file: file, line: resource.line)
            let state = Self.text(fields["state"]) ?? "PUBLISHED"
            if state == "DRAFT" || state == "DELETED" {
                item.ignored = true
                counts.ignored += 1
                work[key] = item
                continue
            }
            switch ClassroomImporter.dueDay(date: fields["dueDate"], time: fields["dueTime"], timeZone: importer.timeZone) {
            case .success(let day): item.due = day
            case .failure(let error): item.broken = error.message
            }
            switch fields["maxPoints"] {
            case nil, .null?: break
            case .integer(let number)? where number >= 0: item.maxPoints = Double(number)
            case .number(let number)? where number >= 0: item.maxPoints = number
            case let other?: item.broken = item.broken ?? "maxPoints: expected a number of points, 0 or more, got \(other.briefDescription)"
            }
            let topicID = Self.text(fields["topicId"])
            let topicName = topicID.flatMap { topics[Self.key(course, $0)] }
            switch importer.map.decide(title: title, topics: [topicName, topicID].compactMap { $0 }) {
            case .skill(let skill): item.skill = skill
            case .ignored: item.ignored = true
            case .unmapped:
                if let topicName, !SkillSlug.make(topicName).isEmpty {
                    item.skill = SkillSlug.make(topicName)
                } else {
                    if firstUnmapped == nil { firstUnmapped = (file, resource.line) }
                    let why = topicID == nil ? "it has no topic" : "its topic \(topicID ?? "") has no name read (give the topics list)"
                    issues.warning(
                        file, line: resource.line, field: "courseWork \(id)",
                        "no skill for \(JSONValue.string(title).jsonText): \(why), and --map does not name it: its submissions are left out (map it: skills: { \(JSONValue.string(title).jsonText): SKILL })")
                }
            }
            if let broken = item.broken {
                counts.skipped += 1
                issues.fault(file, line: resource.line, field: "courseWork \(id)", "\(broken): its submissions are left out")
            }
            work[key] = item
        }
    }

    private mutating func readStudents() {
        for (file, resource) in resources where resource.kind == .students {
            guard case .object(let fields) = resource.value, let id = Self.text(fields["userId"]) else {
                issues.fault(file, line: resource.line, field: "userId", "a student without a userId: left out")
                continue
            }
            let index = student(id)
            if case .object(let profile)? = fields["profile"], case .object(let name)? = profile["name"] {
                let full = Self.text(name["fullName"]) ?? [Self.text(name["givenName"]), Self.text(name["familyName"])].compactMap { $0 }.joined(separator: " ")
                if students[index].name == nil, !full.isEmpty { students[index].name = full }
            }
        }
    }

    // MARK: Submissions

    private static let states: Set<String> = ["NEW", "CREATED", "TURNED_IN", "RETURNED", "RECLAIMED_BY_STUDENT"]

    private mutating func readSubmissions() {
        let hasRoster = resources.contains { $0.resource.kind == .students }
        var strangers: Set<String> = []
        for (file, resource) in resources where resource.kind == .studentSubmissions {
            counts.read += 1
            guard case .object(let fields) = resource.value else {
                counts.skipped += 1
                issues.fault(file, line: resource.line, "a submission is an object, got \(resource.value.typeName): it is left out")
                continue
            }
            guard let workID = Self.text(fields["courseWorkId"]), let userID = Self.text(fields["userId"]) else {
                counts.skipped += 1
                let field = Self.text(fields["courseWorkId"]) == nil ? "courseWorkId" : "userId"
                issues.fault(file, line: resource.line, field: field, "missing: the submission is left out")
                continue
            }
            guard let assignment = work[Self.key(Self.text(fields["courseId"]), workID)] else {
                counts.skipped += 1
                issues.fault(file, line: resource.line, field: "courseWorkId", "no assignment \(workID) was read (give the courseWork list too): the submission is left out")
                continue
            }
            guard !assignment.ignored, let skill = assignment.skill else {
                counts.ignored += 1
                continue
            }
            if hasRoster, studentIndex[userID] == nil, strangers.insert(userID).inserted {
                issues.warning(file, line: resource.line, field: "userId", "\(userID) is not in the students list: imported without a name")
            }
            let index = student(userID)
            if let broken = assignment.broken {
                counts.skipped += 1
                let entry = IncompleteSkill(skill: skill, message: "courseWork \(assignment.id): \(broken)", location: "\(assignment.file):\(assignment.line)")
                if !students[index].incomplete.contains(entry) { students[index].incomplete.append(entry) }
                continue
            }
            if let earlier = students[index].submissions[assignment.id] {
                if earlier.value == resource.value {
                    counts.ignored += 1
                } else {
                    counts.skipped += 1
                    fault(file, resource.line, "courseWorkId", "a second, different submission of \(userID) for \(assignment.id) (the first is at \(earlier.place)): the first is kept", student: index, skill: skill)
                }
                continue
            }
            students[index].submissions[assignment.id] = ("\(file):\(resource.line)", resource.value)
            switch item(fields, assignment, skill: skill, file: file, line: resource.line) {
            case .success(let item): students[index].work.append(item)
            case .failure(let error):
                counts.skipped += 1
                fault(file, resource.line, error.field, error.message, student: index, skill: skill, text: error.text)
            }
        }
    }

    struct SubmissionError: Error {
        var field: String
        var message: String
        var text: String?
    }

    /// A submission as a work item. The status mapping is docs/import.md's table.
    private mutating func item(_ fields: [String: JSONValue], _ assignment: Work, skill: String, file: String, line: Int) -> Result<WorkItem, SubmissionError> {
        guard let state = Self.text(fields["state"]), Self.states.contains(state) else {
            let got = fields["state"]?.briefDescription ?? "nothing"
            return .failure(SubmissionError(field: "state", message: "expected NEW, CREATED, TURNED_IN, RETURNED or RECLAIMED_BY_STUDENT, got \(got)", text: Self.text(fields["state"])))
        }
        var grade: Double?
        switch fields["assignedGrade"] {
        case nil, .null?: break
        case .integer(let number)? where number >= 0: grade = Double(number)
        case .number(let number)? where number >= 0: grade = number
        case let other?: return .failure(SubmissionError(field: "assignedGrade", message: "expected a grade, 0 or more, got \(other.briefDescription)"))
        }
        var late = false
        switch fields["late"] {
        case nil, .null?: break
        case .bool(let flag)?: late = flag
        case let other?: return .failure(SubmissionError(field: "late", message: "expected true or false, got \(other.briefDescription)"))
        }
        var item = WorkItem(id: assignment.id, skill: skill, due: assignment.due, extra: ["source": .string(ClassroomImporter.source), "title": .string(assignment.title)])
        if late { item.extra["late"] = .bool(true) }
        let pastDue = assignment.due.map { $0 < importer.context.asOf } ?? false
        let notTurnedIn: WorkItem.Status = pastDue ? .missing : .assigned
        switch state {
        case "TURNED_IN":
            item.status = .submitted
        case "RETURNED":
            if let grade, let maximum = assignment.maxPoints, maximum > 0 {
                var score = grade / maximum
                if score > 1 {
                    issues.warning(file, line: line, field: "assignedGrade", "\(JSONValue.number(grade).jsonText) is above the assignment's \(JSONValue.number(maximum).jsonText) points (extra credit?): read as full marks, a score of 1")
                    score = 1
                }
                item.status = .graded
                item.score = score
            } else {
                // Returned without a grade: it counts as handed in when its history says it was
                // turned in (or has no history); work returned without ever being turned in is not.
                item.status = Self.wasTurnedIn(fields["submissionHistory"]) ? .submitted : notTurnedIn
            }
        default:
            // NEW, CREATED, RECLAIMED_BY_STUDENT: not turned in.
            item.status = notTurnedIn
        }
        return .success(item)
    }

    /// Whether a submission's history (when it has one) shows it turned in.
    private static func wasTurnedIn(_ history: JSONValue?) -> Bool {
        guard case .array(let entries)? = history, !entries.isEmpty else { return true }
        return entries.contains { entry in
            guard case .object(let fields) = entry, case .object(let change)? = fields["stateHistory"] else { return false }
            return text(change["state"]) == "TURNED_IN"
        }
    }

    // MARK: The document

    mutating func result() -> ImportResult {
        readTopics()
        readWork()
        readStudents()
        readSubmissions()
        for (kind, entry) in pages.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where entry.unfinished == entry.answers {
            issues.warning(entry.file, field: "nextPageToken", "the \(kind.rawValue) list has more pages than were given (every answer read says another page follows): ask the API for the next page and give it too")
        }
        if let firstUnmapped, !students.contains(where: { !$0.work.isEmpty || !$0.incomplete.isEmpty }) {
            issues.fault(firstUnmapped.file, line: firstUnmapped.line, "no assignment has a skill, so no work was imported: give the topics list, or name each assignment's skill in a --map file (skills: { TITLE: SKILL })")
        }
        let titles = Set(work.values.map(\.title))
        let topicNames = Set(topics.values).union(topics.keys.map { String($0.split(separator: "\u{1F}").last ?? "") })
        for issue in importer.map.unmatched(titles: titles, topics: topicNames) { issues.append(issue) }
        var context = importer.context
        if courses.count == 1, let course = courses.first, context.classInfo?.id == nil {
            var info = context.classInfo ?? ClassInfo()
            info.id = course
            context.classInfo = info
        }
        let built = students.map { Student(id: $0.id, name: $0.name, work: $0.work, incomplete: $0.incomplete) }
        return ImportResult(documents: [ClassDocument(context: context, students: built)], issues: issues.issues, counts: counts)
    }
}
