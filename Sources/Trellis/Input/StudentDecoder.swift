/// Reads one student object of the contract (section 1) and checks it: types, counts,
/// dates, levels on the ladders, and the order of sessions.
///
/// Bad data costs the least it can: a problem inside a skill (its sessions or its own fields), or
/// in a work item or self-assessment that names its skill, is *held* by that skill
/// (`FieldIssue.skill`): the record is still read, without the bad entry, and the engine leaves
/// that skill undecided. A problem with the student's own fields (id, name, flags, preferences,
/// `incomplete`), a skill without a usable id, or a work item or self-assessment that names no
/// skill skips the student.
struct StudentDecoder {
    private let promptLevels: LevelSet
    private let stages: LevelSet

    init(ladders: Ladders) {
        promptLevels = LevelSet(ladders.prompt)
        stages = LevelSet(ladders.stage)
    }

    /// Reads the student at the reader's position. Issues are left in `reader.issues`; the
    /// student is nil when any of them is not held by a skill (or when it has no id).
    func decode(_ reader: inout FieldReader) throws(JSONSyntaxError) -> (student: Student?, id: String?) {
        let issuesBefore = reader.issues.count
        reader.scanner.skipWhitespace()
        let start = reader.scanner.offset
        var id: String?
        var hasID = false
        var student = Student(id: "")
        let isObject = try reader.fields { (reader: inout FieldReader, key: FieldKey) throws(JSONSyntaxError) in
            switch key {
            case .known(.id):
                hasID = true
                id = try reader.requiredString()
            case .known(.name): student.name = try reader.string()
            case .known(.flags): student.flags = try reader.strings()
            case .known(.preferences): try decodePreferences(&reader, into: &student)
            case .known(.skills): student.skills = try decodeSkills(&reader)
            case .known(.work):
                try reader.array { (reader: inout FieldReader) throws(JSONSyntaxError) in
                    if let item = try decodeWorkItem(&reader) { student.work.append(item) }
                }
            case .known(.selfAssessments):
                try reader.array { (reader: inout FieldReader) throws(JSONSyntaxError) in
                    if let assessment = try decodeSelfAssessment(&reader) { student.selfAssessments.append(assessment) }
                }
            case .other(IncompleteSkillDecoding.key): student.incomplete = try IncompleteSkillDecoding.decode(&reader)
            default: student.extra[key.text] = try reader.extra()
            }
        }
        guard isObject else { return (nil, nil) }
        if !hasID { reader.fail("required field 'id' is missing", at: start) }
        guard let id, !reader.issues[issuesBefore...].contains(where: { $0.skill == nil }) else { return (nil, id) }
        student.id = id
        return (student, id)
    }

    private func decodePreferences(_ reader: inout FieldReader, into student: inout Student) throws(JSONSyntaxError) {
        if try reader.takeNull() { return }
        try reader.object { (reader: inout FieldReader, key: String) throws(JSONSyntaxError) in
            if key == "modalities" {
                student.preferredModalities = try reader.strings()
            } else {
                student.preferenceExtra[key] = try reader.extra()
            }
        }
    }

    private func decodeSkills(_ reader: inout FieldReader) throws(JSONSyntaxError) -> [Skill] {
        var skills: [Skill] = []
        var firstIndexByID: [String: Int] = [:]
        var index = 0
        try reader.array { (reader: inout FieldReader) throws(JSONSyntaxError) in
            defer { index += 1 }
            reader.scanner.skipWhitespace()
            let start = reader.scanner.offset
            guard let skill = try decodeSkill(&reader) else { return }
            if let first = firstIndexByID[skill.id] {
                reader.fail("duplicate skill id \(JSONValue.string(skill.id).briefDescription), first at skills[\(first)]", at: start)
                reader.issues[reader.issues.count - 1].skill = skill.id
                return
            }
            firstIndexByID[skill.id] = index
            skills.append(skill)
        }
        return skills
    }

    private func decodeSkill(_ reader: inout FieldReader) throws(JSONSyntaxError) -> Skill? {
        let issuesBefore = reader.issues.count
        reader.scanner.skipWhitespace()
        let start = reader.scanner.offset
        var id: String?
        var hasID = false
        var skill = Skill(id: "")
        let isObject = try reader.fields { (reader: inout FieldReader, key: FieldKey) throws(JSONSyntaxError) in
            switch key {
            case .known(.id):
                hasID = true
                id = try reader.requiredString()
            case .known(.domain): skill.domain = try reader.string()
            case .known(.promptLevel): skill.promptLevel = try reader.level(on: promptLevels, named: "prompt")
            case .known(.stage): skill.stage = try reader.level(on: stages, named: "stage")
            case .known(.sessions): skill.sessions = try decodeSessions(&reader)
            case .known(.badge): skill.badge = try reader.oneOf(Badge.self)
            case .other(MasteryDecoding.key): skill.extra[MasteryDecoding.key] = try MasteryDecoding.decode(&reader)
            default: skill.extra[key.text] = try reader.extra()
            }
        }
        guard isObject else { return nil }
        if !hasID { reader.fail("required field 'id' is missing", at: start) }
        guard let id else { return nil }
        Self.hold(&reader, from: issuesBefore, for: id)
        skill.id = id
        return skill
    }

    /// Marks the issues found since `start` as held by `skill`: they leave that skill undecided,
    /// not the student skipped.
    private static func hold(_ reader: inout FieldReader, from start: Int, for skill: String?) {
        guard let skill, !skill.isEmpty else { return }
        for index in start..<reader.issues.count where reader.issues[index].skill == nil { reader.issues[index].skill = skill }
    }

    private func decodeSessions(_ reader: inout FieldReader) throws(JSONSyntaxError) -> [Session] {
        var sessions: [Session] = []
        var previousDate: (index: Int, date: String)?
        var index = 0
        try reader.array { (reader: inout FieldReader) throws(JSONSyntaxError) in
            defer { index += 1 }
            var dateOffset = 0
            guard let session = try decodeSession(&reader, dateOffset: &dateOffset) else { return }
            if let date = session.date {
                // Dates compare as text: same-width ISO 8601 dates sort chronologically.
                if let previous = previousDate, Self.dayPrecedes(date, previous.date) {
                    reader.path.append(SessionField.date.pathComponent)
                    reader.fail("\(date) comes before sessions[\(previous.index)] (\(previous.date)); sessions must be oldest first", at: dateOffset)
                    reader.path.removeLast()
                }
                previousDate = (index, date)
            }
            sessions.append(session)
        }
        return sessions
    }

    /// Whether `a`'s day (its first 10 bytes, YYYY-MM-DD) comes before `b`'s. Same-width ISO 8601
    /// dates sort as bytes; this runs for every session, so it compares bytes directly (the
    /// generic comparison of two UTF-8 views cost 5% of reading a roster, measured).
    static func dayPrecedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { left in
            b.withUTF8 { right in
                let length = min(10, left.count, right.count)
                for index in 0..<length where left[index] != right[index] { return left[index] < right[index] }
                return min(10, left.count) < min(10, right.count)
            }
        }
    }

    /// Reads a session by `SessionField`'s table; `dateOffset` is where its date's value starts,
    /// for an order error.
    private func decodeSession(_ reader: inout FieldReader, dateOffset: inout Int) throws(JSONSyntaxError) -> Session? {
        let issuesBefore = reader.issues.count
        var session = Session()
        let isObject = try reader.fields { (reader: inout FieldReader, key: FieldKey) throws(JSONSyntaxError) in
            guard case .known(let contractKey) = key, let field = SessionField(contractKey) else {
                session.extra[key.text] = try reader.extra()
                return
            }
            reader.scanner.skipWhitespace()
            reader.sessionValueOffsets[field.rawValue] = reader.scanner.offset
            switch field.value {
            case .date: field.set(try reader.date(), in: &session)
            case .level(.prompt): field.set(try reader.level(on: promptLevels, named: "prompt"), in: &session)
            case .level(.stage): field.set(try reader.level(on: stages, named: "stage"), in: &session)
            case .count: field.set(try reader.count(), in: &session)
            case .text: field.set(try reader.string(), in: &session)
            }
        }
        guard isObject else { return nil }
        dateOffset = reader.sessionValueOffsets[SessionField.date.rawValue]
        if let trials = session.trials {
            for field in SessionField.all where field.isPartOfTrials {
                guard let value = field.integer(of: session), value > trials else { continue }
                reader.path.append(field.pathComponent)
                reader.fail("\(value) is more than trials (\(trials))", at: reader.sessionValueOffsets[field.rawValue])
                reader.path.removeLast()
            }
        }
        return reader.issues.count == issuesBefore ? session : nil
    }

    private func decodeWorkItem(_ reader: inout FieldReader) throws(JSONSyntaxError) -> WorkItem? {
        let issuesBefore = reader.issues.count
        var item = WorkItem()
        let isObject = try reader.fields { (reader: inout FieldReader, key: FieldKey) throws(JSONSyntaxError) in
            switch key {
            case .known(.id): item.id = try reader.string()
            case .known(.skill): item.skill = try reader.string()
            case .known(.status): item.status = try reader.oneOf(WorkItem.Status.self)
            case .known(.score):
                reader.scanner.skipWhitespace()
                let start = reader.scanner.offset
                item.score = try reader.number()
                if let score = item.score, !(0...1).contains(score) {
                    reader.fail("expected a score from 0 to 1, got \(JSONText.number(score))", at: start)
                }
            case .known(.due): item.due = try reader.date()
            case .known(.modality): item.modality = try reader.string()
            case .known(.checklist): item.checklist = try decodeChecklist(&reader)
            default: item.extra[key.text] = try reader.extra()
            }
        }
        guard isObject, reader.issues.count == issuesBefore else {
            Self.hold(&reader, from: issuesBefore, for: item.skill)
            return nil
        }
        return item
    }

    /// `{ "done": 2, "total": 5 }`: whole numbers with `0 <= done <= total` and `total >= 1`
    /// (contract section 5). Each problem names its field; null is the same as no checklist.
    private func decodeChecklist(_ reader: inout FieldReader) throws(JSONSyntaxError) -> Checklist? {
        if try reader.takeNull() { return nil }
        reader.scanner.skipWhitespace()
        let start = reader.scanner.offset
        let issuesBefore = reader.issues.count
        var done: (value: Int?, offset: Int)?
        var total: (value: Int?, offset: Int)?
        var extra: [String: JSONValue] = [:]
        let isObject = try reader.object { (reader: inout FieldReader, key: String) throws(JSONSyntaxError) in
            reader.scanner.skipWhitespace()
            let offset = reader.scanner.offset
            switch key {
            case "done": done = (try reader.count(), offset)
            case "total": total = (try reader.count(), offset)
            default: extra[key] = try reader.extra()
            }
        }
        guard isObject, reader.issues.count == issuesBefore else { return nil }
        // The whole number of `field`, or a problem named by its path.
        func required(_ entry: (value: Int?, offset: Int)?, _ field: String, _ meaning: String) -> Int? {
            guard let entry else {
                reader.fail("required field '\(field)' is missing (\(meaning), a whole number)", at: start)
                return nil
            }
            guard let value = entry.value else {
                reader.path.append(.key(field))
                reader.fail("expected a whole number (\(meaning)), got null", at: entry.offset)
                reader.path.removeLast()
                return nil
            }
            return value
        }
        let doneCount = required(done, "done", "the steps done")
        let totalCount = required(total, "total", "the steps in all")
        guard let doneCount, let totalCount else { return nil }
        if totalCount < 1 {
            reader.path.append(.key("total"))
            reader.fail("a checklist needs at least 1 step, got \(totalCount)", at: total?.offset)
            reader.path.removeLast()
            return nil
        }
        if doneCount > totalCount {
            reader.path.append(.key("done"))
            reader.fail("\(doneCount) is more than total (\(totalCount))", at: done?.offset)
            reader.path.removeLast()
            return nil
        }
        return Checklist(done: doneCount, total: totalCount, extra: extra)
    }

    private func decodeSelfAssessment(_ reader: inout FieldReader) throws(JSONSyntaxError) -> SelfAssessment? {
        let issuesBefore = reader.issues.count
        var assessment = SelfAssessment()
        let isObject = try reader.fields { (reader: inout FieldReader, key: FieldKey) throws(JSONSyntaxError) in
            switch key {
            case .known(.date): assessment.date = try reader.date()
            case .known(.skill): assessment.skill = try reader.string()
            case .known(.rating): assessment.rating = try reader.oneOf(SelfAssessment.Rating.self)
            default: assessment.extra[key.text] = try reader.extra()
            }
        }
        guard isObject, reader.issues.count == issuesBefore else {
            Self.hold(&reader, from: issuesBefore, for: assessment.skill)
            return nil
        }
        return assessment
    }
}
