import Foundation

/// The fields a sheet's columns can hold, and the header names (synonyms) each is known by.
///
/// Headers match without regard to case, spaces and punctuation (`Student Name`, `student_name`
/// and `STUDENT-NAME` are one name). A `--map` file names the columns the synonyms miss.
enum SheetField: String, CaseIterable, Sendable {
    case date, studentID = "student_id", studentName = "student_name", firstName = "first_name", lastName = "last_name"
    case skill, program, target, domain
    case promptLevel = "prompt_level", stage, trials, correct, independent, tally
    case setting, staff, delay, probe, notes
    // Work items.
    case work, status, score, maxPoints = "max_points", due, modality
    // Self-assessments.
    case rating

    /// Header names, normalised (`SheetField.normalise`), most specific first.
    var synonyms: [String] {
        switch self {
        case .date: ["date", "sessiondate", "dateofsession", "day", "datecollected", "datadate", "when"]
        case .studentID: ["studentid", "studentnumber", "studentno", "studentcode", "learnerid", "pupilid", "clientid", "sid", "id", "localid", "sisid"]
        case .studentName: ["studentname", "name", "learner", "learnername", "fullname", "client", "clientname", "pupil", "pupilname", "student"]
        case .firstName: ["firstname", "givenname", "first", "forename"]
        case .lastName: ["lastname", "surname", "familyname", "last"]
        case .skill: ["skill", "skillid", "skillname", "goal", "objective", "standard", "targetskill"]
        case .program: ["program", "programme", "programname", "programid"]
        case .target: ["target", "targetname", "targetid", "item", "targetbehavior"]
        case .domain: ["domain", "area", "subject", "skillarea"]
        case .promptLevel: ["promptlevel", "prompt", "prompting", "prompttype", "promptused", "promptcode", "level", "promptlvl"]
        case .stage: ["stage", "phase", "teachingstage", "scaffold", "scaffoldstage", "scaffolding"]
        case .trials: ["trials", "opportunities", "opps", "attempts", "totaltrials", "trialcount", "numberoftrials", "oftrials", "ofopportunities", "n"]
        case .correct: ["correct", "numbercorrect", "corrects", "ofcorrect", "correcttrials", "successes", "plus", "correctresponses"]
        case .independent: ["independent", "independenttrials", "numberindependent", "unprompted", "ofindependent"]
        case .tally: ["tally", "trialbytrial", "trialdata", "trials+", "responses", "trialresults", "data", "scoring", "trialbytrialdata"]
        case .setting: ["setting", "location", "environment", "place", "room"]
        case .staff: ["staff", "therapist", "teacher", "instructor", "rbt", "staffmember", "collectedby", "initials", "staffinitials", "technician", "para"]
        case .delay: ["delay", "timedelay", "promptdelay", "delayseconds", "delays"]
        case .probe: ["probe", "probetrial", "coldprobe", "isprobe"]
        case .notes: ["notes", "note", "comments", "comment", "remarks", "anecdotal"]
        case .work: ["assignment", "assignmentid", "assignmentname", "task", "workid", "work", "activity", "title"]
        case .status: ["status", "submissionstatus", "state"]
        case .score: ["score", "grade", "points", "mark", "percent", "percentage", "result"]
        case .maxPoints: ["maxpoints", "outof", "possible", "pointspossible", "total", "maxscore", "maximum"]
        case .due: ["due", "duedate", "deadline", "dueon"]
        case .modality: ["modality", "format", "mode"]
        case .rating: ["rating", "selfrating", "selfassessment", "trafficlight", "colour", "color", "feeling", "howdidyoudo"]
        }
    }

    /// `Student Name` → `studentname`: letters and digits only, lower case (`+` and `%` kept, for
    /// headers such as `Trials +/-` and `% correct`).
    static func normalise(_ header: String) -> String {
        String(header.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "+" || $0 == "%" }.map(Character.init))
    }

    /// A column letter as a spreadsheet shows it: 0 → `A`, 27 → `AB`.
    static func letter(_ column: Int) -> String {
        var column = column + 1
        var letters = ""
        while column > 0 {
            let remainder = (column - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            column = (column - 1) / 26
        }
        return letters
    }
}

/// Which column holds which field, found from a sheet's header row.
struct SheetColumns {
    /// The header row's texts, trimmed.
    var header: [String]
    var byField: [SheetField: Int] = [:]

    /// Finds each field's column: the map's name for it first, then its synonyms (the first
    /// synonym present wins; a column is used for one field only).
    init(header: [String], map: SheetMap) {
        self.header = header
        let found = HeaderColumns.find(in: header, fields: SheetField.allCases, named: map.columns, synonyms: \.synonyms)
        byField = found.byField
        let normalised = found.normalised
        // "Student" alone names the student: their id when no other column does, else their name.
        if byField[.studentID] == nil, let name = byField[.studentName], normalised[name] == "student" {
            byField[.studentID] = name
            byField[.studentName] = nil
        }
    }

    subscript(field: SheetField) -> Int? { byField[field] }

    /// `B (Date)`: the column's letter and its header, for issues.
    func label(_ column: Int) -> String {
        let name = column < header.count ? header[column] : ""
        return name.isEmpty ? SheetField.letter(column) : "\(SheetField.letter(column)) (\(name))"
    }

    /// What the sheet records, by the fields found.
    var kind: SheetKind? {
        if byField[.trials] != nil || byField[.correct] != nil || byField[.tally] != nil || byField[.promptLevel] != nil || byField[.stage] != nil {
            return .sessions
        }
        if byField[.rating] != nil { return .selfAssessments }
        if byField[.status] != nil || byField[.score] != nil || byField[.due] != nil { return .work }
        return nil
    }
}

/// What one sheet (or file) holds.
enum SheetKind: String, Sendable {
    case sessions
    case work
    case selfAssessments = "self_assessments"
}
