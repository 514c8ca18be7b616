/// What the report's sections read, worked out once from the input and the evaluation: each
/// student beside their result, the staff, the criteria of the rules in force.
struct ReportModel {
    /// One evaluated student: the record and what the rules decided.
    struct StudentEntry {
        var student: Student
        var result: StudentResult
        /// Where the student's page is, within the file.
        var anchor: String
        var name: String { student.name.flatMap { $0.isEmpty ? nil : $0 } ?? student.id }
        var items: [ReportItem] { result.recommendations.map { ReportItem(recommendation: $0, studentIDs: [student.id], isClassLevel: false) } }
    }

    /// A student record that was left out for bad data.
    struct SkippedEntry {
        var studentID: String?
        var issues: [TrellisIssue]
    }

    let context: ClassContext
    let students: [StudentEntry]
    let skipped: [SkippedEntry]
    let classResult: ClassResult?
    let criteria: ReportCriteria
    /// The class's staff, then anyone else who ran a session, in order of first appearance.
    let staff: [String]
    private let studentIndex: [String: Int]

    init(context: ClassContext, entries: [RosterEntry], evaluation: EvaluationReport, parameters: [String: [String: JSONValue]]) {
        self.context = context
        var students: [StudentEntry] = []
        var skipped: [SkippedEntry] = []
        var index: [String: Int] = [:]
        for (entry, outcome) in zip(entries, evaluation.outcomes) {
            switch (entry, outcome) {
            case (.student(let student), .evaluated(let result)):
                index[student.id] = students.count
                students.append(StudentEntry(student: student, result: result, anchor: HTMLText.anchor("student-", student.id)))
            case (_, .skipped(let id, let issues)):
                skipped.append(SkippedEntry(studentID: id, issues: issues))
            case (.invalid(let id, let issues), .evaluated):
                skipped.append(SkippedEntry(studentID: id, issues: issues))
            }
        }
        self.students = students
        self.skipped = skipped
        self.studentIndex = index
        self.classResult = evaluation.classResult
        self.criteria = ReportCriteria(parameters: parameters)
        var staff: [String] = []
        var seen = Set<String>()
        for member in context.classInfo?.staff ?? [] where seen.insert(member).inserted { staff.append(member) }
        for entry in students {
            for skill in entry.student.skills {
                for session in skill.sessions {
                    if let member = session.staff, !member.isEmpty, seen.insert(member).inserted { staff.append(member) }
                }
            }
        }
        self.staff = staff
    }

    var classTitle: String {
        context.classInfo?.title ?? context.classInfo?.id ?? "Class"
    }

    func student(_ id: String) -> StudentEntry? {
        studentIndex[id].map { students[$0] }
    }

    /// `Maya R.` for a student of the class; the id itself for anyone else.
    func name(of id: String) -> String {
        student(id)?.name ?? id
    }

    /// Every winning recommendation of the students, in input order, then the class's.
    var allItems: [ReportItem] {
        students.flatMap(\.items) + (classResult?.recommendations.map(ReportItem.classLevel) ?? [])
    }

    /// Who runs the item and where: the staff member and setting of the newest session of its
    /// skill (of the first student it names that has one); for an item without a skill, of the
    /// student's newest session of any skill.
    func place(of item: ReportItem) -> (staff: String?, setting: String?) {
        var staff: String?
        var setting: String?
        for id in item.studentIDs {
            guard let entry = student(id) else { continue }
            let sessions: [Session]
            if let skillID = item.recommendation.skill {
                sessions = entry.student.skills.first { $0.id == skillID }?.sessions ?? []
            } else {
                sessions = Self.newestSessionOfAnySkill(entry.student).map { [$0] } ?? []
            }
            if staff == nil { staff = sessions.last { !($0.staff ?? "").isEmpty }?.staff }
            if setting == nil, item.recommendation.skill != nil { setting = sessions.last { !($0.setting ?? "").isEmpty }?.setting }
            if staff != nil && (setting != nil || item.recommendation.skill == nil) { break }
        }
        return (staff, setting)
    }

    /// The student's newest session (by date, then by position), of any skill.
    static func newestSessionOfAnySkill(_ student: Student) -> Session? {
        var newest: Session?
        for skill in student.skills {
            guard let last = skill.sessions.last else { continue }
            if newest == nil || (last.date ?? "") >= (newest?.date ?? "") { newest = last }
        }
        return newest
    }

    /// The skills of the class, in order of first appearance.
    var skillIDs: [String] {
        var ids: [String] = []
        var seen = Set<String>()
        for entry in students {
            for skill in entry.student.skills where seen.insert(skill.id).inserted { ids.append(skill.id) }
        }
        return ids
    }

    /// A catalog item's title by id, for menus whose options came without one.
    func catalogTitle(_ id: String) -> String? {
        context.catalog.first { $0.id == id }?.title
    }
}

/// The numbers the bundled rules decide with, as the report draws and words them: the criterion
/// line of the charts and what "if today goes well" means. They come from the parameters of
/// `prompt-fading` and `scaffold-stage` in force (a school's configuration, `--param`), else the
/// contract's defaults.
struct ReportCriteria: Sendable {
    struct Ladder: Sendable {
        var sessions: Int
        var percent: Double
        var minTrials: Int
        var stepBackPercent: Double
    }

    var prompt: Ladder
    var stage: Ladder

    init(parameters: [String: [String: JSONValue]]) {
        func value(_ rule: String, _ name: String, _ fallback: Double) -> Double {
            parameters[rule]?[name]?.doubleValue ?? fallback
        }
        prompt = Ladder(
            sessions: Int(value("prompt-fading", "fade_sessions", 3)), percent: value("prompt-fading", "fade_percent", 80),
            minTrials: Int(value("prompt-fading", "min_trials", 5)), stepBackPercent: value("prompt-fading", "step_back_percent", 50))
        stage = Ladder(
            sessions: Int(value("scaffold-stage", "advance_sessions", 3)), percent: value("scaffold-stage", "advance_percent", 80),
            minTrials: Int(value("scaffold-stage", "min_trials", 5)), stepBackPercent: value("scaffold-stage", "step_back_percent", 50))
    }
}
