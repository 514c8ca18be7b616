import ArgumentParser
import Foundation
import Trellis

/// `trellis merge`: class documents from several sources into one, by student id.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge class documents (from imports or kept by hand) into one, by student id.",
        discussion: """
            Sessions, work and self-assessments from every document go into one; each keeps its source (the file it \
            came from). The same student, skill and date with different numbers from two documents is a conflict: it \
            is reported, the first document's entry is kept, and the skill is recorded as incomplete so that evaluate \
            leaves it undecided. Exit codes: 0 merged; 1 merged with conflicts; 2 a document cannot be used.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the merged document here, whole or not at all, instead of standard output.", valueName: "file"), completion: .file())
    var output: String?

    @Flag(name: .shortAndLong, help: "No summary on standard error (conflicts are still printed).")
    var quiet = false

    @Argument(help: ArgumentHelp("Class documents, the first one's class fields kept.", valueName: "file"), completion: .file())
    var files: [String]

    func validate() throws {
        guard files.count >= 2 else { throw ValidationError("give at least two class documents") }
    }

    func run() throws {
        var merged = try MergeOptions.document(at: files[0])
        var issues: [ImportIssue] = []
        for file in files.dropFirst() {
            let (document, found) = ClassMerge.merge(merged, source: files[0], with: try MergeOptions.document(at: file), source: file)
            merged = document
            issues += found
        }
        for issue in issues { Terminal.printError(issue.description) }
        var options = ImportOptions()
        options.quiet = quiet
        try options.write(DocumentJSON.document(merged), to: output)
        if !quiet { Terminal.printLine("merged \(files.count) documents: \(merged.students.count) students, \(issues.count) conflicts") }
        if !issues.isEmpty { throw Exit.evaluatedWithErrors }
    }
}

/// `--into FILE`: an import merged into a class document instead of written alone.
struct MergeOptions: ParsableArguments {
    @Option(name: .customLong("into"), help: ArgumentHelp("Merge into this class document (by student id; conflicts reported); the result replaces it unless -o is given.", valueName: "class.json"), completion: .file())
    var into: String?

    /// The import merged into `--into`'s document, with the conflicts among its issues; the
    /// result itself without `--into`.
    func apply(to result: ImportResult, source: String) throws -> ImportResult {
        guard let into, let imported = result.documents.first, result.status != .unusable else { return result }
        let base = try Self.document(at: into)
        let (document, conflicts) = ClassMerge.merge(base, source: into, with: imported, source: source)
        return ImportResult(documents: [document], issues: result.issues + conflicts, counts: result.counts)
    }

    /// Where the output goes: `-o` when given, else the `--into` document.
    func destination(_ output: String?) -> String? { output ?? into }

    /// A class document every student of which is valid (a merge keeps no half-read student);
    /// exits with status 2 otherwise.
    static func document(at path: String) throws -> ClassDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.printError("cannot read \(path)")
            throw Exit.unusableInput
        }
        let roster: Roster
        do {
            roster = try RosterReader.read(Array(data), sourceName: path, format: .document)
        } catch {
            Terminal.printError("\(path) cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
            throw Exit.unusableInput
        }
        var students: [Student] = []
        var problems: [TrellisIssue] = []
        for entry in roster.entries {
            switch entry {
            case .student(let student): students.append(student)
            case .invalid(_, let issues): problems += issues
            }
        }
        guard problems.isEmpty else {
            Terminal.printError("\(path) has students that cannot be read; fix them before merging:\n" + problems.map { "  \($0)" }.joined(separator: "\n"))
            throw Exit.unusableInput
        }
        return ClassDocument(context: roster.context, students: students)
    }
}
