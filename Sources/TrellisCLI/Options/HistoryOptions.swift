import ArgumentParser
import Foundation
import Trellis

/// `--history FILE`, shared by `evaluate`, `report` and `serve`: each run recorded in a history
/// of runs (docs/time.md, "History").
struct HistoryOptions: ParsableArguments {
    @Option(name: .customLong("history"), help: ArgumentHelp("Record this run in a history of runs (a SQLite file, created mode 0600; docs/time.md).", valueName: "file"))
    var path: String?

    /// The history, opened (and created, or migrated) before anything is evaluated; nil without
    /// `--history`. Prints why not and exits with status 2 when it cannot be used; prints a
    /// warning when others than its owner may read it.
    func open() throws -> RunHistory? {
        guard let path else { return nil }
        do throws(HistoryError) {
            let history = try RunHistory(path: path)
            if let warning = history.permissionWarning { Terminal.printError(warning) }
            return history
        } catch {
            Terminal.printError("the history cannot be used: \(error.path): \(error.message)")
            throw Exit.unusableInput
        }
    }

    /// Records `run`; prints why not and exits with status 2 when the file cannot take it (what
    /// was written to the output stays).
    static func record(_ run: RunRecord, in history: RunHistory) throws {
        do throws(HistoryError) {
            try history.record(run)
        } catch {
            Terminal.printError("the run was not recorded: \(error.path): \(error.message)")
            throw Exit.unusableInput
        }
    }
}

extension RuleOptions {
    /// The configuration file's bytes, for its digest in a history; nil without `--config`.
    func configurationBytes() throws -> [UInt8]? {
        guard let configuration else { return nil }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: configuration)))
        } catch {
            Terminal.printError("cannot read \(configuration): \(FileProblem.systemReason(error))")
            throw Exit.unusableInput
        }
    }
}
