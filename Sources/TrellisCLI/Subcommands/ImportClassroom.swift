import ArgumentParser
import Foundation
import Trellis

extension Import {
    struct Classroom: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classroom",
            abstract: "Import Google Classroom: the Grades page's CSV download, or the API's courseWork and studentSubmissions JSON.",
            discussion: """
                Give either the gradebook CSV ("Download these grades as CSV"), read through the bundled classroom \
                profile, or the API's answers saved as JSON: courses.courseWork.list and \
                courses.courseWork.studentSubmissions.list, and optionally courses.students.list (names) and \
                courses.topics.list (topics). Each submission becomes a work item with a status (assigned, submitted, \
                graded, missing, exempt), a score (assignedGrade / maxPoints), its due day and late. An assignment's \
                skill is --map's (by title or topic), else its topic's name; one without a skill is left out with a \
                warning. docs/import.md gives the whole mapping.
                """
        )

        @Option(name: .customLong("time-zone"), help: ArgumentHelp("Where the school is, for the API's due times in UTC (an IANA name such as America/New_York; default: this computer's).", valueName: "zone"))
        var timeZone: String?

        @OptionGroup var work: WorkImportOptions

        @OptionGroup var merge: MergeOptions

        @OptionGroup var options: ImportOptions

        @Argument(help: ArgumentHelp("The gradebook CSV, or the API's JSON answers.", valueName: "file"), completion: .file())
        var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give the gradebook CSV, or the API's JSON files") }
            if let timeZone, TimeZone(identifier: timeZone) == nil { throw ValidationError("--time-zone \(timeZone): not a time zone (an IANA name such as Europe/Paris)") }
        }

        func run() throws {
            let importer = ClassroomImporter(
                context: try options.context(), map: try work.map(), timeZone: timeZone.flatMap(TimeZone.init(identifier:)) ?? .current, dateOrder: work.order)
            try work.finish(importer.importFiles(files), sources: files, merge: merge, options: options)
        }
    }
}
