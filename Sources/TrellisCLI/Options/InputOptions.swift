import ArgumentParser
import Foundation
import Trellis

/// How the input is read and how many workers evaluate it, shared by `evaluate` and `report`.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input-format"), help: ArgumentHelp("auto, document or ndjson.", valueName: "format"))
    var inputFormat: InputFormat = .auto

    @Option(name: .customLong("class"), help: ArgumentHelp("Class-level fields (as_of, ladders, catalog) for NDJSON input.", valueName: "file"), completion: .file())
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
            throw TrellisError(issues: [TrellisIssue(kind: .invalidInput, message: "cannot read the class file", location: classHeader)])
        }
        return try RosterReader.readHeader(Array(data), sourceName: classHeader, ladders: ladders)
    }

    /// Whether `source` (the file at `path`) is an NDJSON roster rather than a class document.
    func isNDJSON(_ source: InputSource, path: String) throws -> Bool {
        switch inputFormat {
        case .document: return false
        case .ndjson: return true
        case .auto:
            if ["ndjson", "jsonl"].contains(URL(fileURLWithPath: path).pathExtension.lowercased()) { return true }
            try source.readFirstLine()
            return RosterReader.startsLikeNDJSON(source.prefix)
        }
    }

    /// The whole of `source` as a roster, `--class` giving an NDJSON roster's class-level fields.
    /// Prints what makes it unusable, and exits with status 2, as `evaluate` does.
    func readRoster(_ source: InputSource, ndjson: Bool, ladders: Ladders) throws -> Roster {
        let bytes: [UInt8]
        do {
            bytes = try source.readAll()
        } catch {
            Terminal.printError("cannot read \(source.name): \(FileProblem.systemReason(error))")
            throw Exit.unusableInput
        }
        return try roster(bytes, sourceName: source.name, ndjson: ndjson, ladders: ladders)
    }

    /// `bytes` read as a roster with `ladders` where the input gives none; see ``readRoster(_:ndjson:ladders:)``.
    func roster(_ bytes: [UInt8], sourceName: String, ndjson: Bool, ladders: Ladders) throws -> Roster {
        do {
            return try RosterReader.read(
                bytes, sourceName: sourceName, format: ndjson ? .ndjson : inputFormat, header: try header(ladders: ladders), ladders: ladders)
        } catch let error as TrellisError {
            Terminal.printUnusable(error)
            throw Exit.unusableInput
        } catch {
            Terminal.printError("cannot read \(sourceName): \(FileProblem.systemReason(error))")
            throw Exit.unusableInput
        }
    }

    /// The bytes of `path` (- for standard input), its name for error locations, and whether it
    /// is NDJSON; prints why not and exits with status 2 when it cannot be read.
    func readWhole(path: String) throws -> (bytes: [UInt8], sourceName: String, ndjson: Bool) {
        do {
            let source = try InputSource(path: path)
            defer { source.close() }
            let ndjson = try isNDJSON(source, path: path)
            return (try source.readAll(), source.name, ndjson)
        } catch {
            Terminal.printError("cannot read \(path): \(FileProblem.systemReason(error))")
            throw Exit.unusableInput
        }
    }
}
