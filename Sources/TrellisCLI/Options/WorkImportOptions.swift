import ArgumentParser
import Foundation
import Trellis

/// What `import classroom` and `import gradebook` share: the assignment map, how slashed due
/// dates are read, and where the document goes.
struct WorkImportOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Write the document here, whole or not at all, instead of standard output.", valueName: "file"), completion: .file())
    var output: String?

    @Option(name: .customLong("map"), help: ArgumentHelp("A YAML map: skills (assignment title: skill), topics (topic: skill), ignore (titles).", valueName: "map.yaml"), completion: .file())
    var mapFile: String?

    @OptionGroup var dates: DateOrderOption

    var order: SheetDateOrder? { dates.order }

    /// The `--map`, or an empty one; exits with status 2 when it cannot be used.
    func map() throws -> AssignmentMap {
        try ImportOptions.map(at: mapFile, or: AssignmentMap(), read: AssignmentMap.init(contentsOf:))
    }

    /// Merges into `--into` when given, prints the issues and writes the document.
    func finish(_ result: ImportResult, sources: [String], merge: MergeOptions, options: ImportOptions) throws {
        let merged = try merge.apply(to: result, source: sources.joined(separator: ", "))
        try options.finish(merged) {
            try options.write(DocumentJSON.document(merged.documents[0]), to: merge.destination(output))
        }
    }
}
