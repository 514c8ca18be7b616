import ArgumentParser
import Foundation
import Trellis

/// How the input is read and how many workers evaluate it, shared by `evaluate` and `report`.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input-format"), help: ArgumentHelp("auto, document or ndjson.", valueName: "format"))
    var inputFormat: InputFormat = .auto

    @Option(name: .customLong("class"), help: ArgumentHelp("Class-level fields (as_of, ladders, catalog) for NDJSON input.", valueName: "file"))
    var classHeader: String?

    @Option(name: .shortAndLong, help: "Workers, each with its own Lua state (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    /// The class-level fields of `--class`, when given.
    func header(ladders: Ladders) throws -> ClassContext? {
        guard let classHeader else { return nil }
        guard let data = FileManager.default.contents(atPath: classHeader) else {
            throw InputError(issues: [TrellisIssue(kind: .invalidInput, message: "cannot read the class file", location: classHeader)])
        }
        return try RosterReader.readHeader(Array(data), sourceName: classHeader, ladders: ladders)
    }
}
