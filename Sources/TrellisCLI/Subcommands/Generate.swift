import ArgumentParser
import Foundation
import Trellis

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic roster, for benchmarks and tests.",
        discussion: "The same --seed always gives the same students. NDJSON writes the class-level fields to --class."
    )

    @Option(help: "How many students.")
    var students: Int

    @Option(help: "The seed: the same seed gives the same roster.")
    var seed: UInt64 = 1

    @Option(help: "Skills per student.")
    var skills: Int = 8

    @Option(help: "Sessions per skill.")
    var sessions: Int = 20

    @Option(help: ArgumentHelp("document or ndjson.", valueName: "format"))
    var format: InputFormat = .ndjson

    @Option(name: .customLong("class"), help: ArgumentHelp("Where to write the class-level fields of an NDJSON roster.", valueName: "file"))
    var classHeader: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        guard students >= 0, skills >= 1, sessions >= 0 else { throw ValidationError("counts must not be negative, and a student needs a skill") }
        guard format != .auto else { throw ValidationError("--format is document or ndjson") }
    }

    func run() throws {
        let roster = SyntheticRoster(students: students, seed: seed, skillsPerStudent: skills, sessionsPerSkill: sessions)
        let sink = try output.map { path -> FileHandle in
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard descriptor >= 0 else {
                Terminal.printError(FileProblem.writing(path, POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)))
                throw Exit.unusableInput
            }
            return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        } ?? FileHandle.standardOutput
        if format == .document {
            let document = ClassDocument(context: roster.context, students: (0..<students).map(roster.student))
            sink.write(Data(DocumentJSON.document(document).utf8))
            return
        }
        if let classHeader {
            do {
                try AtomicFile.write(DocumentJSON.header(roster.context), to: classHeader)
            } catch {
                Terminal.printError(FileProblem.writing(classHeader, error))
                throw Exit.unusableInput
            }
        }
        var buffer = ""
        for index in 0..<students {
            buffer += DocumentJSON.student(roster.student(index))
            buffer += "\n"
            if buffer.utf8.count > 1 << 20 {
                sink.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        sink.write(Data(buffer.utf8))
    }
}
