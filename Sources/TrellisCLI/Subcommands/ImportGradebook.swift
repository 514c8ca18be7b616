import ArgumentParser
import Foundation
import Trellis

extension Import {
    struct Gradebook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gradebook",
            abstract: "Import gradebook CSV files laid out as a profile describes (one row per student, one column per assignment).",
            discussion: """
                A profile is a small YAML file that says where the student's id and name are, which columns are \
                assignments, which rows under the header hold due dates and points, and how statuses are written. \
                --profile takes a bundled profile's name (--list-profiles) or a file; --show-profile prints a bundled \
                one to start from. Each assignment's skill comes from --map; a bad cell is reported with \
                file:row:column and only its skill is left undecided.
                """
        )

        @Option(name: .customLong("profile"), help: ArgumentHelp("A bundled profile's name (see --list-profiles) or a profile file.", valueName: "name-or-file"))
        var profile: String?

        @Flag(name: .customLong("list-profiles"), help: "List the bundled profiles and stop.")
        var listProfiles = false

        @Option(name: .customLong("show-profile"), help: ArgumentHelp("Print a bundled profile's YAML (to copy and edit) and stop.", valueName: "name"))
        var showProfile: String?

        @OptionGroup var work: WorkImportOptions

        @OptionGroup var merge: MergeOptions

        @OptionGroup var options: ImportOptions

        @Argument(help: ArgumentHelp("Gradebook CSV files.", valueName: "file"), completion: .file())
        var files: [String] = []

        func validate() throws {
            guard !listProfiles, showProfile == nil else { return }
            guard profile != nil else { throw ValidationError("give --profile NAME or FILE (--list-profiles lists the bundled ones)") }
            guard !files.isEmpty else { throw ValidationError("give at least one gradebook CSV file") }
        }

        func run() throws {
            if listProfiles {
                let width = (GradebookProfile.bundledNames.map(\.count).max() ?? 0) + 2
                for name in GradebookProfile.bundledNames {
                    Terminal.printOut(name.padding(toLength: width, withPad: " ", startingAt: 0) + (GradebookProfile.bundled(name)?.description ?? ""))
                }
                return
            }
            if let showProfile {
                guard let bundled = GradebookProfile.bundled(showProfile) else {
                    Terminal.printError("no bundled profile \(showProfile) (bundled: \(GradebookProfile.bundledNames.joined(separator: ", ")))")
                    throw Exit.unusableInput
                }
                FileHandle.standardOutput.write(Data(bundled.yaml.utf8))
                return
            }
            let chosen: GradebookProfile
            do {
                chosen = try GradebookProfile.resolve(profile ?? "")
            } catch {
                Terminal.printError("the profile cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
                throw Exit.unusableInput
            }
            let importer = GradebookImporter(profile: chosen, context: try options.context(), map: try work.map(), dateOrder: work.order)
            try work.finish(importer.importFiles(files), sources: files, merge: merge, options: options)
        }
    }
}
