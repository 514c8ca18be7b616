import ArgumentParser
import Foundation
import Trellis

/// `trellis replay`: the term evaluated day by day, and what became of the rules' decisions.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a term: the rules' decisions day by day, whether they were followed, and whether fades and advances held.",
        discussion: """
            Evaluates INPUT as of each day that has a session (within --from and --to) with one engine, \
            collects each fade, advance, step back and mastered on the first day it appears, and follows it \
            in the sessions after: followed when the next session of the skill is at the level recommended; \
            for a followed fade or advance, regressed when one of the next --follow-up sessions after it is \
            at a level with more support, held when that many exist and none is, open otherwise. See docs/time.md.

            Exit codes: 0 every evaluation clean; 1 some students or rules had errors (on standard error); \
            2 the input or the rules cannot be used.
            """
    )

    @Option(help: ArgumentHelp("table or json (default: table on a terminal, else json).", valueName: "format"))
    var format: ReplayFormat?

    @Option(name: .customLong("from"), help: ArgumentHelp("The first day to evaluate (YYYY-MM-DD; default: the first session's).", valueName: "day"))
    var fromDay: String?

    @Option(name: .customLong("to"), help: ArgumentHelp("The last day to evaluate (YYYY-MM-DD; default: the last session's).", valueName: "day"))
    var toDay: String?

    @Option(name: .customLong("follow-up"), help: ArgumentHelp("Sessions after a followed fade or advance that decide whether it held.", valueName: "n"))
    var followUp = 5

    @OptionGroup var inputOptions: InputOptions

    @OptionGroup var rules: RuleOptions

    @Flag(name: .shortAndLong, help: "No progress or summary on standard error.")
    var quiet = false

    @Argument(help: ArgumentHelp("The class document or NDJSON roster, or - for standard input.", valueName: "input"), completion: .file())
    var input: String

    enum ReplayFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func validate() throws {
        guard followUp >= 1 else { throw ValidationError("--follow-up must be at least 1") }
        let from = try TimeOptions.day(fromDay, option: "--from")
        let to = try TimeOptions.day(toDay, option: "--to")
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    func run() throws {
        let started = Date()
        let (engine, settings) = try rules.makeEngine()
        let whole = try inputOptions.readWhole(path: input)
        let roster = try inputOptions.roster(whole.bytes, sourceName: whole.sourceName, ndjson: whole.ndjson, ladders: settings?.ladders ?? Ladders())
        let from = try TimeOptions.day(fromDay, option: "--from")
        let to = try TimeOptions.day(toDay, option: "--to")
        let progress = Terminal.isTerminal(STDERR_FILENO) && !quiet
            ? ProgressLine(total: Trellis.Replay.days(of: roster, from: from, to: to).count, unit: "days") : nil
        var onProgress: (@Sendable (Int) -> Void)?
        if let progress { onProgress = { progress.update($0) } }
        let replay = Trellis.Replay.run(roster, engine: engine, from: from, to: to, followUp: followUp, jobs: inputOptions.jobs, progress: onProgress)
        progress?.finish()
        switch format ?? (Terminal.isTerminal(STDOUT_FILENO) ? .table : .json) {
        case .json: print(replay.json(), terminator: "")
        case .table: print(replay.table(), terminator: "")
        }
        for issue in replay.issues { Terminal.printError(issue.description) }
        if !quiet {
            Terminal.printLine(
                "\(replay.days.count) days, \(replay.decisions.count) decisions, \(replay.issues.count) errors, "
                    + String(format: "%.2f s", Date().timeIntervalSince(started)))
        }
        if !replay.issues.isEmpty { throw Exit.evaluatedWithErrors }
    }
}
