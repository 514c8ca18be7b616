import ArgumentParser
import Foundation
import Trellis

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the runs a history file recorded and what changed from one to the next.",
        discussion: """
            FILE is a history written by --history on evaluate, report or serve. Each run is listed in order with \
            what it recommended and, against the previous run of the same class, what is new, changed, gone or the \
            same. The table lists the unchanged ones only for a chosen student or skill.

            Exit codes: 0 shown; 2 the file is not a Trellis history, or is from a newer Trellis.
            """
    )

    @Option(help: ArgumentHelp("Only this student's recommendations.", valueName: "id"))
    var student: String?

    @Option(help: ArgumentHelp("Only this skill's recommendations.", valueName: "id"))
    var skill: String?

    @Option(help: ArgumentHelp("table or json (default: table on a terminal, else json).", valueName: "format"))
    var format: HistoryFormat?

    @Argument(help: ArgumentHelp("The history file.", valueName: "file"))
    var file: String

    enum HistoryFormat: String, ExpressibleByArgument {
        case table, json
    }

    func run() throws {
        // Reading a history must not create one: a mistyped name is an error, not a new file.
        guard FileManager.default.fileExists(atPath: file) else {
            Terminal.printError("\(file): no such history file")
            throw Exit.unusableInput
        }
        let timeline: HistoryTimeline
        do throws(HistoryError) {
            let history = try RunHistory(path: file)
            if let warning = history.permissionWarning { Terminal.printError(warning) }
            timeline = try HistoryTimeline(history: history, student: student, skill: skill)
        } catch {
            Terminal.printError("\(error.path): \(error.message)")
            throw Exit.unusableInput
        }
        switch format ?? (Terminal.isTerminal(STDOUT_FILENO) ? .table : .json) {
        case .json: print(timeline.json(), terminator: "")
        case .table: print(timeline.table(), terminator: "")
        }
    }
}
