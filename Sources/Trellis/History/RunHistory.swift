import Foundation
import GRDB

/// A history of runs (`--history FILE`): a SQLite database that records each run of the rules,
/// what it ran on and every winning recommendation, so that later runs can be compared with
/// earlier ones (`trellis history`, the report's "Since the last run").
///
/// The file holds students' records: it is created readable by its owner only (mode 0600). One
/// `RunHistory` may be shared by concurrent callers; writes are serialised, and several
/// processes may write the same file (each waits up to 10 seconds for another's write).
///
/// ```swift
/// let history = try RunHistory(path: "class-3b.history")
/// let run = try history.record(RunRecord(command: "evaluate", input: bytes, configuration: nil, engine: engine,
///                                        context: roster.context, asOf: nil, evaluation: report))
/// ```
package final class RunHistory: Sendable {
    /// The history file.
    package let path: String
    /// Set when the file existed with permissions wider than 0600: the words to show the user.
    package let permissionWarning: String?
    private let database: DatabaseQueue

    /// Opens the history at `path`, creating it (mode 0600) when nothing is there, and brings an
    /// older schema up to date.
    ///
    /// - Parameter path: the history file.
    /// - Throws: ``HistoryError`` naming the file when it cannot be created or opened, is not a
    ///   Trellis history, or was written by a newer Trellis.
    package init(path: String) throws(HistoryError) {
        self.path = path
        permissionWarning = try HistoryFile.prepare(path)
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "trellis.history"
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw HistoryError(path: path, "is not a Trellis history database (not a SQLite file)")
        } catch {
            throw HistoryError(path: path, "cannot be opened as a history: \(error)")
        }
        try HistorySchema.prepare(database, path: path)
    }

    /// How runs of the same class are told apart from runs of others: the document's `class.id`,
    /// else its `class.title`, else the empty string (a document that names no class).
    ///
    /// - Parameter context: the class-level fields of a run's input.
    /// - Returns: the key the history files the run under.
    package static func classKey(of context: ClassContext) -> String {
        if let id = context.classInfo?.id, !id.isEmpty { return id }
        return context.classInfo?.title ?? ""
    }

    /// Appends a run and its recommendations, all or nothing.
    ///
    /// - Parameter record: what to record.
    /// - Returns: the run as the file now holds it, with its number.
    /// - Throws: ``HistoryError`` naming the file when it cannot be written (then nothing of the run is in it).
    @discardableResult
    package func record(_ record: RunRecord) throws(HistoryError) -> RecordedRun {
        let run = record.run
        do {
            return try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO run (recorded_at, command, as_of, evaluated_as_of, class_key, trellis_version, input_sha256, \
                        rule_pack_sha256, configuration_sha256, students, skipped, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        run.recordedAt, run.command, run.asOf, run.evaluatedAsOf, run.classKey, run.trellisVersion, run.inputSHA256,
                        run.rulePackSHA256, run.configurationSHA256, run.students, run.skipped, run.errors,
                    ])
                let id = db.lastInsertedRowID
                let insert = try db.makeStatement(
                    sql: """
                        INSERT INTO recommendation (run_id, position, student, skill, kind, action, "from", "to", rule, priority, reason, \
                        options, recommendation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for (position, entry) in record.recommendations.enumerated() {
                    let recommendation = entry.recommendation
                    try insert.execute(arguments: [
                        id, position, entry.student, recommendation.skill, recommendation.kind, recommendation.action, recommendation.from,
                        recommendation.to, recommendation.rule, recommendation.priority, recommendation.reason,
                        recommendation.options.map(Self.optionsJSON), Self.contractJSON(recommendation),
                    ])
                }
                return try Self.fetchRuns(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id])[0]
            }
        } catch {
            throw HistoryError(path: path, "cannot record the run: \(error)")
        }
    }

    /// Every run, oldest first.
    ///
    /// - Throws: ``HistoryError`` naming the file when it cannot be read.
    package func runs() throws(HistoryError) -> [RecordedRun] {
        try read { db in try Self.fetchRuns(db, sql: "SELECT * FROM run ORDER BY id", arguments: []) }
    }

    /// The latest run of `classKey` recorded before run `id` (or the latest of all, for `nil`).
    ///
    /// - Parameters:
    ///   - classKey: the class (``classKey(of:)``).
    ///   - id: a run's number; only runs recorded before it count.
    /// - Throws: ``HistoryError`` naming the file when it cannot be read.
    package func latestRun(ofClass classKey: String, before id: Int64? = nil) throws(HistoryError) -> RecordedRun? {
        try read { db in
            try Self.fetchRuns(
                db, sql: "SELECT * FROM run WHERE class_key = ? AND id < ? ORDER BY id DESC LIMIT 1", arguments: [classKey, id ?? Int64.max]
            ).first
        }
    }

    /// The recommendations of run `id`, in the order they were recorded; only those of `student`
    /// and `skill` when given.
    ///
    /// - Throws: ``HistoryError`` naming the file when it cannot be read.
    package func recommendations(ofRun id: Int64, student: String? = nil, skill: String? = nil) throws(HistoryError) -> [RecordedRecommendation] {
        try read { db in
            var sql = "SELECT * FROM recommendation WHERE run_id = ?"
            var arguments: StatementArguments = [id]
            if let student {
                sql += " AND student = ?"
                arguments += [student]
            }
            if let skill {
                sql += " AND skill = ?"
                arguments += [skill]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY position", arguments: arguments).map(Self.recommendation)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw HistoryError(path: path, "cannot be read: \(error)")
        }
    }

    private static func fetchRuns(_ db: Database, sql: String, arguments: StatementArguments) throws -> [RecordedRun] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            RecordedRun(
                id: row["id"], recordedAt: row["recorded_at"], command: row["command"], asOf: row["as_of"], evaluatedAsOf: row["evaluated_as_of"],
                classKey: row["class_key"], trellisVersion: row["trellis_version"], inputSHA256: row["input_sha256"],
                rulePackSHA256: row["rule_pack_sha256"], configurationSHA256: row["configuration_sha256"], students: row["students"],
                skipped: row["skipped"], errors: row["errors"])
        }
    }

    private static func recommendation(_ row: Row) -> RecordedRecommendation {
        let options: [MenuOption]? = (row["options"] as String?).flatMap { text in
            guard case .array(let items)? = JSONValue(parsing: text) else { return nil }
            return items.compactMap { item -> MenuOption? in
                guard case .object(let fields) = item, let id = fields["id"]?.stringValue else { return nil }
                return MenuOption(id: id, title: fields["title"]?.stringValue, modality: fields["modality"]?.stringValue)
            }
        }
        return RecordedRecommendation(
            student: row["student"],
            recommendation: Recommendation(
                skill: row["skill"], kind: row["kind"], action: row["action"], from: row["from"], to: row["to"], options: options, rule: row["rule"],
                priority: row["priority"], reason: row["reason"]))
    }

    /// The recommendation as the output contract writes it (`--format json`), evidence and a
    /// custom rule's own fields included.
    private static func contractJSON(_ recommendation: Recommendation) -> String {
        var writer = JSONWriter(pretty: false)
        ReportJSON.write(recommendation, to: &writer)
        return writer.output
    }

    private static func optionsJSON(_ options: [MenuOption]) -> String {
        var writer = JSONWriter(pretty: false)
        ReportJSON.write(options, to: &writer)
        return writer.output
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
