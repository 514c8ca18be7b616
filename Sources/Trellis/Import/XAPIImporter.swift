import Foundation

/// Reads xAPI statements into one class document: a student per actor, a skill per activity, and
/// one session per student, skill and day, whose trials are the day's statements with an outcome.
///
/// - A statement's student is its actor's `account.name`; without an account, its `mbox` (without
///   `mailto:`), `mbox_sha1sum`, `openid`, and last its `name`.
/// - A trial is correct when `result.success` is true; without `success`, when `result.score.scaled`
///   (or `raw` on the `min`...`max` scale) is at least ``correctThreshold``. A statement with
///   neither is not a trial: it is counted as ignored, not as a fault.
/// - Prompt level, stage, setting and skill come from the context extensions under
///   ``XAPIExtension``; staff from `context.instructor`.
///
/// docs/formats.md ("Imports") gives the whole mapping.
package struct XAPIImporter: Sendable {
    /// The class-level fields of the document: `as_of`, `ladders` (prompt levels and stages are
    /// checked against them), `catalog`, `class`.
    package var context: ClassContext
    /// The scaled score from which a trial without `result.success` counts as correct.
    package var correctThreshold: Double

    /// 0.8 mirrors the bundled rules' mastery criterion of 80% correct.
    package static let defaultCorrectThreshold = 0.8

    package init(context: ClassContext = ClassContext(asOf: RosterReader.today()), correctThreshold: Double = XAPIImporter.defaultCorrectThreshold) {
        self.context = context
        self.correctThreshold = correctThreshold
    }

    /// Imports files and folders; a folder stands for every `.json`, `.jsonl` and `.ndjson` file
    /// below it, in name order.
    package func importFiles(at paths: [String]) -> ImportResult {
        var issues = IssueLog()
        var sources: [(file: String, bytes: [UInt8])] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                issues.fault(path, "no such file or folder")
                continue
            }
            let files = isFolder.boolValue ? Self.statementFiles(in: path) : [path]
            if isFolder.boolValue, files.isEmpty { issues.fault(path, "no .json, .jsonl or .ndjson file in the folder") }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    issues.fault(file, "cannot read the file")
                    continue
                }
                sources.append((file, Array(data)))
            }
        }
        var result = importSources(sources)
        result.issues = issues.issues + result.issues
        return result
    }

    /// Imports statements already in memory, each source named `file` in issues (`<stdin>`).
    package func importSources(_ sources: [(file: String, bytes: [UInt8])]) -> ImportResult {
        var run = XAPIRun(importer: self)
        for source in sources {
            for statement in XAPIStatementReader.read(source.bytes, file: source.file, issues: &run.issues) {
                run.add(statement, file: source.file)
            }
        }
        return run.result()
    }

    private static func statementFiles(in folder: String) -> [String] {
        let extensions: Set<String> = ["json", "jsonl", "ndjson"]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if extensions.contains((relative as NSString).pathExtension.lowercased()) {
                files.append((folder as NSString).appendingPathComponent(relative))
            }
        }
        return files.sorted()
    }
}

extension XAPIImporter {
    /// The id an agent is known by: account name, then mailbox, its hash, OpenID, and name.
    static func agentID(_ agent: [String: JSONValue]) -> String? {
        if let name = agent["account"]?.objectValue?["name"]?.stringValue, !name.isEmpty { return name }
        if let mailbox = agent["mbox"]?.stringValue, !mailbox.isEmpty {
            return mailbox.lowercased().hasPrefix("mailto:") ? String(mailbox.dropFirst(7)) : mailbox
        }
        for key in ["mbox_sha1sum", "openid", "name"] {
            if let value = agent[key]?.stringValue, !value.isEmpty { return value }
        }
        return nil
    }
}

/// The context extensions Trellis reads from xAPI statements, under its own IRI namespace.
///
/// A tool that records teaching trials as xAPI sets them in `context.extensions`; `skill` may
/// also stand in the activity's `object.definition.extensions`, once for every statement about it.
package enum XAPIExtension {
    /// The namespace: `https://trellis.example/xapi/extensions/`.
    package static let namespace = "https://trellis.example/xapi/extensions/"
    /// The trial's prompt level, a name on the prompt ladder (`gestural`).
    package static let promptLevel = namespace + "prompt-level"
    /// The trial's stage of gradual release, a name on the stage ladder (`guided`).
    package static let stage = namespace + "stage"
    /// The skill the trial practises, when it is not the activity's id (`fractions`).
    package static let skill = namespace + "skill"
    /// Where the trial took place (`classroom`).
    package static let setting = namespace + "setting"
}

/// One import of statements: the trials found so far, grouped into sessions at the end.
private struct XAPIRun {
    let importer: XAPIImporter
    var issues = IssueLog()
    var counts = ImportCounts()

    struct Trial {
        var student: String
        var studentName: String?
        var skill: String
        var skillTitle: String?
        var day: String
        var instant: Double
        var correct: Bool
        var promptLevel: String?
        var stage: String?
        var setting: String?
        var staff: String?
        var statementID: String?
        var file: String
        var line: Int
    }

    var trials: [Trial] = []
    var firstSeen: [String: (value: JSONValue, place: String)] = [:]
    var voided: Set<String> = []

    static let voidedVerb = "http://adlnet.gov/expapi/verbs/voided"

    init(importer: XAPIImporter) {
        self.importer = importer
    }

    /// A fault: the statement is left out.
    private struct Rejection: Error {
        var field: String?
        var message: String
    }

    mutating func add(_ statement: XAPIStatementReader.Statement, file: String) {
        counts.read += 1
        do {
            if let trial = try trial(statement, file: file) {
                trials.append(trial)
            } else {
                counts.ignored += 1
            }
        } catch let rejection as Rejection {
            counts.skipped += 1
            issues.fault(file, line: statement.line, field: rejection.field, rejection.message)
        } catch {
            counts.skipped += 1
            issues.fault(file, line: statement.line, "\(error)")
        }
    }

    /// The statement as a trial; nil when it is valid but has no outcome to count.
    private mutating func trial(_ statement: XAPIStatementReader.Statement, file: String) throws -> Trial? {
        guard case .object(let members) = statement.value else {
            throw Rejection(field: nil, message: "expected a statement object, got \(statement.value.typeName)")
        }
        let id = members["id"]?.stringValue
        if let id {
            if let first = firstSeen[id] {
                // An LRS keeps the first statement of an id and refuses a different one with the same id.
                if first.value == statement.value {
                    issues.warning(file, line: statement.line, field: "id", "a repeat of the statement at \(first.place): ignored")
                    return nil
                }
                throw Rejection(field: "id", message: "the id of a different statement at \(first.place): left out, as an LRS would refuse it")
            }
            firstSeen[id] = (statement.value, "\(file):\(statement.line)")
        }
        let object = members["object"]?.objectValue
        // A voiding statement takes back an earlier one: neither counts.
        if members["verb"]?.objectValue?["id"]?.stringValue == Self.voidedVerb {
            if let target = object?["id"]?.stringValue { voided.insert(target) }
            return nil
        }
        guard let actor = members["actor"]?.objectValue else { throw Rejection(field: "actor", message: "required, but missing or not an object") }
        if actor["objectType"]?.stringValue == "Group" {
            throw Rejection(field: "actor", message: "a group, not one student: its members' statements are needed")
        }
        guard let student = XAPIImporter.agentID(actor) else {
            throw Rejection(field: "actor", message: "no account.name, mbox, mbox_sha1sum, openid or name to know the student by")
        }
        guard let object else { throw Rejection(field: "object", message: "required, but missing or not an object") }
        switch object["objectType"]?.stringValue ?? "Activity" {
        case "Activity": break
        // Statements about people or other statements carry no trial of a skill.
        case "Agent", "Group", "StatementRef", "SubStatement": return nil
        case let other:
            throw Rejection(field: "object.objectType", message: "\(JSONValue.string(other).briefDescription) is not an xAPI object type (Activity, Agent, Group, StatementRef, SubStatement)")
        }
        guard let activity = object["id"]?.stringValue, !activity.isEmpty else {
            throw Rejection(field: "object.id", message: "required: the activity's IRI")
        }
        guard let correct = try outcome(members["result"]) else { return nil }

        guard let stamp = members["timestamp"]?.stringValue ?? members["stored"]?.stringValue else {
            throw Rejection(field: "timestamp", message: "required (nor is there a stored time): the day of the session")
        }
        let day: String
        let instant: Double
        switch ImportDate.timestamp(stamp) {
        case .success(let value): (day, instant) = value
        case .failure(let error): throw Rejection(field: "timestamp", message: error.message)
        }

        let context = members["context"]?.objectValue
        let extensions = context?["extensions"]?.objectValue ?? [:]
        let definition = object["definition"]?.objectValue
        let skillExtension = extensions[XAPIExtension.skill] ?? definition?["extensions"]?.objectValue?[XAPIExtension.skill]
        var skill = activity
        var title = definition?["name"]?.objectValue.flatMap(Self.languageMapText)
        if let skillExtension {
            guard let named = skillExtension.stringValue, !named.isEmpty else {
                throw Rejection(field: "context.extensions[\(XAPIExtension.skill)]", message: "expected a skill id, got \(skillExtension.briefDescription)")
            }
            skill = named
            title = nil
        }
        let ladders = importer.context.ladders
        let promptLevel = try ladderLevel(extensions[XAPIExtension.promptLevel], key: XAPIExtension.promptLevel, ladder: ladders.prompt, what: "prompt")
        let stage = try ladderLevel(extensions[XAPIExtension.stage], key: XAPIExtension.stage, ladder: ladders.stage, what: "stage")
        var setting: String?
        if let value = extensions[XAPIExtension.setting] {
            guard let text = value.stringValue else {
                throw Rejection(field: "context.extensions[\(XAPIExtension.setting)]", message: "expected a string, got \(value.briefDescription)")
            }
            setting = text
        }
        let staff = context?["instructor"]?.objectValue.flatMap(XAPIImporter.agentID)
        return Trial(
            student: student, studentName: actor["name"]?.stringValue, skill: skill, skillTitle: title, day: day,
            instant: instant, correct: correct, promptLevel: promptLevel, stage: stage, setting: setting, staff: staff,
            statementID: id, file: file, line: statement.line)
    }

    /// True or false for a trial's outcome; nil when the result says nothing about correctness.
    private func outcome(_ result: JSONValue?) throws -> Bool? {
        guard let result else { return nil }
        guard case .object(let fields) = result else { throw Rejection(field: "result", message: "expected an object, got \(result.briefDescription)") }
        if let success = fields["success"] {
            guard case .bool(let value) = success else {
                throw Rejection(field: "result.success", message: "expected true or false, got \(success.briefDescription)")
            }
            return value
        }
        guard let score = fields["score"] else { return nil }
        guard case .object(let parts) = score else { throw Rejection(field: "result.score", message: "expected an object, got \(score.briefDescription)") }
        if let scaledValue = parts["scaled"] {
            guard let scaled = scaledValue.doubleValue, (-1...1).contains(scaled) else {
                throw Rejection(field: "result.score.scaled", message: "expected a number from -1 to 1, got \(scaledValue.briefDescription)")
            }
            return scaled >= importer.correctThreshold
        }
        guard let rawValue = parts["raw"] else { return nil }
        guard let raw = rawValue.doubleValue else {
            throw Rejection(field: "result.score.raw", message: "expected a number, got \(rawValue.briefDescription)")
        }
        let minimum = parts["min"]?.doubleValue ?? 0
        guard let maximum = parts["max"]?.doubleValue, maximum > minimum else {
            throw Rejection(field: "result.score", message: "raw \(JSONText.number(raw)) without scaled needs max above min to be read")
        }
        guard (minimum...maximum).contains(raw) else {
            throw Rejection(field: "result.score.raw", message: "\(JSONText.number(raw)) is outside min...max \(JSONText.number(minimum))...\(JSONText.number(maximum))")
        }
        return (raw - minimum) / (maximum - minimum) >= importer.correctThreshold
    }

    private func ladderLevel(_ value: JSONValue?, key: String, ladder: [String], what: String) throws -> String? {
        guard let value else { return nil }
        guard let level = value.stringValue, ladder.contains(level) else {
            throw Rejection(field: "context.extensions[\(key)]", message: "expected a level of the \(what) ladder (\(ladder.joined(separator: ", "))), got \(value.briefDescription)")
        }
        return level
    }

    /// The text of a language map: English first, else the first language by tag.
    static func languageMapText(_ map: [String: JSONValue]) -> String? {
        for tag in ["en", "en-US", "en-GB"] { if let text = map[tag]?.stringValue { return text } }
        return map.keys.sorted().lazy.compactMap { map[$0]?.stringValue }.first
    }

    // MARK: Sessions

    func result() -> ImportResult {
        var log = issues
        var counts = counts
        let kept = trials.filter { trial in trial.statementID.map { !voided.contains($0) } ?? true }
        counts.ignored += trials.count - kept.count

        var studentOrder: [String] = []
        var byStudent: [String: [Trial]] = [:]
        for trial in kept {
            if byStudent[trial.student] == nil { studentOrder.append(trial.student) }
            byStudent[trial.student, default: []].append(trial)
        }
        var students: [Student] = []
        for id in studentOrder {
            let own = byStudent[id]!
            var skillOrder: [String] = []
            var bySkill: [String: [Trial]] = [:]
            for trial in own {
                if bySkill[trial.skill] == nil { skillOrder.append(trial.skill) }
                bySkill[trial.skill, default: []].append(trial)
            }
            let skills = skillOrder.map { skillID -> Skill in
                let skillTrials = bySkill[skillID]!
                let days = Dictionary(grouping: skillTrials, by: \.day)
                let sessions = days.keys.sorted().map { day in Self.session(id, skillID, day, days[day]!, log: &log) }
                var extra: [String: JSONValue] = [:]
                if let title = skillTrials.lazy.compactMap(\.skillTitle).first { extra["title"] = .string(title) }
                return Skill(id: skillID, sessions: sessions, extra: extra)
            }
            let name = own.filter { $0.studentName != nil }.max { $0.instant < $1.instant }?.studentName
            students.append(Student(id: id, name: name, skills: skills))
        }
        let document = ClassDocument(context: importer.context, students: students)
        return ImportResult(documents: [document], issues: log.issues, counts: counts)
    }

    /// One day's trials of a skill: counts, and the levels of the latest trial that names them.
    private static func session(_ student: String, _ skill: String, _ day: String, _ trials: [Trial], log: inout IssueLog) -> Session {
        // The latest first; statements from an LRS often come newest first, so order by time.
        let ordered = trials.enumerated().sorted { ($0.element.instant, $0.offset) > ($1.element.instant, $1.offset) }.map(\.element)
        func latest(_ value: KeyPath<Trial, String?>, _ what: String) -> String? {
            let named = ordered.compactMap { $0[keyPath: value] }
            guard let first = named.first else { return nil }
            let distinct = named.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            if distinct.count > 1, let place = ordered.first(where: { $0[keyPath: value] != nil }) {
                log.warning(
                    place.file, line: place.line,
                    "\(student)'s statements for \(skill) on \(day) name \(distinct.count) \(what)s (\(distinct.reversed().joined(separator: ", "))): the session takes the latest, \(first)")
            }
            return first
        }
        return Session(
            date: day, promptLevel: latest(\.promptLevel, "prompt level"), stage: latest(\.stage, "stage"), trials: trials.count,
            correct: trials.filter(\.correct).count, setting: latest(\.setting, "setting"), staff: latest(\.staff, "staff member"))
    }
}

extension JSONValue {
    /// The members, when the value is an object.
    fileprivate var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
