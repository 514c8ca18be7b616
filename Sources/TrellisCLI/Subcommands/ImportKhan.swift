import ArgumentParser
import Foundation
import Trellis

extension Import {
    struct Khan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "khan",
            abstract: "Import Khan Academy CSV exports: assignment scores as work, skills progress as each skill's mastery.",
            discussion: """
                Which export a file is comes from its header row: Student Name, Student Email or Student SIS ID, then \
                Assignment with Status, Score or Due Date (work items), or Skill with Mastery Level (a skill's mastery: \
                level, date, points), or one column per skill. Skill ids are Khan's names made into ids \
                (add-fractions-with-unlike-denominators) unless --map names them. A bad cell leaves its row out, is \
                reported as file:row:column with the cell's text, and is recorded in the document so that evaluate \
                leaves that skill undecided.
                """
        )

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the document here, whole or not at all, instead of standard output.", valueName: "file"), completion: .file())
        var output: String?

        @Option(name: .customLong("map"), help: ArgumentHelp("A YAML map: skills (a Khan skill, unit or course name: the skill id), student_id, columns, values, date_order.", valueName: "map.yaml"), completion: .file())
        var mapFile: String?

        @OptionGroup var dates: DateOrderOption

        @OptionGroup var merge: MergeOptions

        @OptionGroup var options: ImportOptions

        @Argument(help: ArgumentHelp("Khan Academy exports: .csv (or .xlsx).", valueName: "file"), completion: .file())
        var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one Khan Academy export (.csv)") }
        }

        func run() throws {
            let map = try ImportOptions.map(at: mapFile, or: KhanMap(), read: KhanMap.init(contentsOf:))
            // Into a kept document, its as_of decides which unfinished assignments are past due,
            // unless --as-of or --header says otherwise.
            var context = try options.context()
            if let into = merge.into, options.asOf == nil, options.header == nil { context = try MergeOptions.document(at: into).context }
            let importer = KhanImporter(context: context, map: map, dateOrder: dates.order)
            let progress = RowProgress(enabled: !options.quiet && Terminal.isTerminal(2))
            var result = importer.importFiles(files) { rows in progress.update(rows) }
            progress.finish()
            result = try merge.apply(to: result, source: files.joined(separator: ", "))
            try options.finish(result) {
                try options.write(DocumentJSON.document(result.documents[0]), to: merge.destination(output))
            }
        }
    }
}
