import Foundation

/// The fields a Khan Academy export's columns hold, and the header names each is known by.
///
/// Headers match as a sheet's do (`SheetField.normalise`: any case, spaces and punctuation), so
/// `Student SIS ID`, `student_sis_id` and `STUDENT SIS ID` are one name. A `KhanMap` names the
/// columns these miss.
enum KhanField: String, CaseIterable, Sendable {
    // The student (the data dictionary's first columns: Student Name, Student Email, Student SIS ID).
    case studentName = "student_name", email, sisID = "sis_id", rosterStatus = "roster_status"
    // Where a skill sits in Khan's content.
    case course, unit, lesson, skill
    // Skills progress: a level per skill.
    case level, points, percent, date
    // Assignment scores: one assignment of one student a row.
    case assignmentID = "assignment_id", assignment, status, score, pointsPossible = "points_possible", due, completed, attempts

    /// Header names, normalised, most specific first.
    var synonyms: [String] {
        switch self {
        case .studentName: ["studentname", "student", "name", "studentfullname", "fullname", "learner", "learnername"]
        case .email: ["studentemail", "email", "emailaddress", "studentemailaddress", "usernameemail", "username", "studentusername"]
        case .sisID: ["studentsisid", "sisid", "studentid", "sis", "studentnumber", "localid", "studentlocalid"]
        case .rosterStatus: ["rosterstatus", "enrollmentstatus"]
        case .course: ["course", "coursename", "coursetitle"]
        case .unit: ["unit", "unitname", "unittitle"]
        case .lesson: ["lesson", "lessonname", "lessontitle"]
        case .skill: ["skill", "skillname", "skilltitle", "exercise", "exercisename", "exercisetitle", "content", "contentname", "contenttitle"]
        case .level: ["masterylevel", "skilllevel", "currentlevel", "currentmasterylevel", "level", "mastery", "masterystatus", "skillstatus"]
        case .points: ["masterypoints", "masterypointsearned", "pointsearned", "points"]
        case .percent: ["mastery%", "masterypercent", "masterypercentage", "%mastery", "percentmastery", "%mastered", "percentmastered"]
        case .date: [
            "leveldate", "datereached", "datelevelreached", "levelreached", "lastpracticed", "lastpracticeddate", "datelastpracticed",
            "lastactivity", "lastactivitydate", "lastupdated", "dateupdated", "lastworkedon", "date",
        ]
        case .assignmentID: ["assignmentid"]
        case .assignment: ["assignment", "assignmentname", "assignmenttitle", "title"]
        case .status: ["status", "assignmentstatus", "completionstatus", "state"]
        case .score: ["score", "bestscore", "score%", "scorepercent", "percentcorrect", "%correct", "correcttotalproblems", "correcttotal"]
        case .pointsPossible: ["pointspossible", "possiblepoints", "outof", "maxpoints", "totalpoints"]
        case .due: ["duedate", "due", "duedatetime", "dueon", "duedateandtime"]
        case .completed: ["completed", "completeddate", "datecompleted", "completedon", "completiondate", "submitted", "submittedon", "datesubmitted"]
        case .attempts: ["attempts", "numberofattempts", "attemptcount"]
        }
    }

    /// Columns of Khan's reports that hold nothing a class document takes (who teaches the
    /// class, usage totals); in a grid of skills they are not skills.
    static let others: Set<String> = [
        "school", "schoolname", "district", "districtname", "teacher", "teachername", "teacheremail", "class", "classname",
        "classroom", "classroomname", "section", "grade", "gradelevel", "lastlogin", "lastlogindate", "totallearningminutes", "learningminutes",
        "learningtime", "totallearningtime", "minutes", "skillsleveledup", "skillswoprogress", "skillswithoutprogress", "coursemasterygoal",
        "goal", "activated", "notes", "note", "comments", "comment", "firstname", "lastname", "studentfirstname", "studentlastname",
    ]
}

/// Which Khan Academy export a file is, told by its header row.
enum KhanExport: Equatable {
    /// One assignment of one student a row: work items.
    case assignmentScores
    /// One skill of one student a row, with its level: each skill's `mastery`.
    case skillsProgress
    /// One student a row and one column per skill, each cell a level (the skills grid).
    case skillsGrid(skillColumns: [Int])
    /// One student (or class) a row and one column per week: a course's progress over weeks,
    /// with no skill's level in it.
    case weeklyProgress(weekColumns: [Int])
}

/// Which column holds which field, found from an export's header row.
struct KhanColumns {
    var header: [String]
    var byField: [KhanField: Int] = [:]
    /// The columns no field claims, by index.
    var unclaimed: [Int] = []

    /// Finds each field's column: the map's header for it first, then the synonyms (the first one
    /// present wins; a column holds one field).
    init(header: [String], map: KhanMap) {
        self.header = header
        let found = HeaderColumns.find(in: header, fields: KhanField.allCases, named: map.columns, synonyms: \.synonyms)
        byField = found.byField
        let normalised = found.normalised
        let taken = Set(byField.values)
        unclaimed = header.indices.filter { !taken.contains($0) && !normalised[$0].isEmpty && !KhanField.others.contains(normalised[$0]) }
    }

    subscript(field: KhanField) -> Int? { byField[field] }

    var namesStudent: Bool { byField[.studentName] != nil || byField[.email] != nil || byField[.sisID] != nil }

    /// The export this header is from, or nil when it names no student or nothing to import.
    var export: KhanExport? {
        guard namesStudent else { return nil }
        if byField[.assignment] != nil || byField[.assignmentID] != nil, byField[.status] != nil || byField[.score] != nil || byField[.due] != nil {
            return .assignmentScores
        }
        if byField[.skill] != nil, byField[.level] != nil { return .skillsProgress }
        // A grid of skills is told by its other columns only: it must name the student as Khan's
        // exports do (an email or SIS id), so that a sheet of names and notes is not one.
        guard byField[.skill] == nil, byField[.level] == nil, byField[.email] != nil || byField[.sisID] != nil, !unclaimed.isEmpty else { return nil }
        // A column headed by a day or a span of days is a week of progress, not a skill.
        let weeks = unclaimed.filter { Self.isWeek(header[$0]) }
        if !weeks.isEmpty { return .weeklyProgress(weekColumns: weeks) }
        return .skillsGrid(skillColumns: unclaimed)
    }

    /// `2026-11-09`, `11/9/2026 - 11/15/2026`, `Week of Nov 9`, `Nov 9 - Nov 15`: a header that
    /// names days (every word a number or a month, at least one number), not a skill.
    static func isWeek(_ header: String) -> Bool {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        var words = header.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        // `Week of Nov 9`, `Week 3`: a week by its name.
        let named = words.first == "week"
        if named { words.removeFirst(words.dropFirst().first == "of" ? 2 : 1) }
        func isMonth(_ word: Substring) -> Bool { word.count >= 3 && word.count <= 9 && months.contains { word.hasPrefix($0) } }
        return words.count >= (named ? 1 : 2) && words.contains { $0.allSatisfy(\.isNumber) } && words.allSatisfy { $0.allSatisfy(\.isNumber) || isMonth($0) }
    }

    /// `B (Student SIS ID)` style label parts for issues: the letter and the header.
    func place(_ row: SheetRow, _ column: Int?, _ file: String) -> CellPlace {
        let index = column ?? 0
        return CellPlace(file: file, row: row.number, column: SheetField.letter(index), header: index < header.count ? header[index] : "")
    }
}
