import GRDB

/// The history database's tables, built by GRDB's migrator from named migrations, in order.
/// A migration is never changed once released; a new version of the schema is a new migration
/// appended here (and a section in docs/time.md).
enum HistorySchema {
    /// The table that marks a SQLite file as a Trellis history.
    static let markerTable = "trellis_history"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs-and-recommendations") { db in
            try db.create(table: markerTable) { table in
                table.primaryKey("key", .text)
                table.column("value", .text).notNull()
            }
            try db.execute(sql: "INSERT INTO \(markerTable) (key, value) VALUES ('format', 'trellis-history')")
            try db.create(table: "run") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("recorded_at", .text).notNull()
                table.column("command", .text).notNull()
                table.column("as_of", .text)
                table.column("evaluated_as_of", .text).notNull()
                table.column("class_key", .text).notNull()
                table.column("trellis_version", .text).notNull()
                table.column("input_sha256", .text).notNull()
                table.column("rule_pack_sha256", .text).notNull()
                table.column("configuration_sha256", .text)
                table.column("students", .integer).notNull()
                table.column("skipped", .integer).notNull()
                table.column("errors", .integer).notNull()
            }
            try db.create(index: "run_class", on: "run", columns: ["class_key", "id"])
            try db.create(table: "recommendation") { table in
                table.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("student", .text)
                table.column("skill", .text)
                table.column("kind", .text).notNull()
                table.column("action", .text).notNull()
                table.column("from", .text)
                table.column("to", .text)
                table.column("rule", .text).notNull()
                table.column("priority", .double).notNull()
                table.column("reason", .text).notNull()
                table.column("options", .text)
                table.column("recommendation", .text).notNull()
                table.primaryKey(["run_id", "position"])
            }
            try db.create(index: "recommendation_student_skill", on: "recommendation", columns: ["student", "skill", "run_id"])
        }
        return migrator
    }

    /// Brings `writer`'s database to the current schema: an empty file becomes a new history, a
    /// history of an older schema is migrated; anything else is refused, naming `path`.
    static func prepare(_ writer: any DatabaseWriter, path: String) throws(HistoryError) {
        let migrator = migrator
        do {
            let state = try writer.read { db -> (tables: [String], applied: Set<String>) in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                let applied = tables.contains("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
                return (tables, applied)
            }
            if !state.tables.isEmpty {
                guard state.tables.contains(markerTable), state.tables.contains("grdb_migrations") else {
                    throw HistoryError(path: path, "is a SQLite database but not a Trellis history (it has none of its tables)")
                }
                let unknown = state.applied.subtracting(migrator.migrations)
                if !unknown.isEmpty {
                    throw HistoryError(
                        path: path,
                        "was written by a newer Trellis (schema \(unknown.sorted().joined(separator: ", "))) than this one (\(TrellisVersion.current)); "
                            + "use that version, or another history file")
                }
            }
            try migrator.migrate(writer)
        } catch let error as HistoryError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw HistoryError(path: path, "is not a Trellis history database (not a SQLite file)")
        } catch {
            throw HistoryError(path: path, "cannot be used as a history: \(error)")
        }
    }
}
