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

    @Option(name: .customLong("class"), help: ArgumentHelp("Where to write the class-level fields of an NDJSON roster.", valueName: "file"), completion: .file())
    var classHeader: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output (a folder with --classes).", valueName: "file"), completion: .file())
    var output: String?

    @Option(help: ArgumentHelp("Split the students into this many class documents, class-01.json... in the --output folder (a school).", valueName: "n"))
    var classes: Int?

    func validate() throws {
        guard students >= 0, skills >= 1, sessions >= 0 else { throw ValidationError("counts must not be negative, and a student needs a skill") }
        guard format != .auto else { throw ValidationError("--format is document or ndjson") }
        if let classes {
            guard classes >= 1 else { throw ValidationError("--classes must be at least 1") }
            guard output != nil else { throw ValidationError("--classes writes a folder of class documents: name it with --output") }
        }
    }

    func run() throws {
        let roster = SyntheticRoster(students: students, seed: seed, skillsPerStudent: skills, sessionsPerSkill: sessions)
        if let classes, let output {
            try writeSchool(roster, classes: classes, folder: output)
            return
        }
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

    /// A school: the students split as evenly as can be into `classes` class documents, each
    /// with its own id, title and staff.
    private func writeSchool(_ roster: SyntheticRoster, classes: Int, folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let digits = max(2, String(classes).count)
        var next = 0
        for number in 1...classes {
            let size = students / classes + (number <= students % classes ? 1 : 0)
            let label = String(repeating: "0", count: digits - String(number).count) + String(number)
            var context = roster.context
            context.classInfo = ClassInfo(id: "class-\(label)", title: "Class \(label)", staff: ["t-\(label)", "p-\(label)"])
            let members = (next..<next + size).map { index -> Student in
                var student = roster.student(index)
                for skill in student.skills.indices {
                    for session in student.skills[skill].sessions.indices {
                        let staff = student.skills[skill].sessions[session].staff
                        student.skills[skill].sessions[session].staff = staff == "t-1" ? "t-\(label)" : "p-\(label)"
                    }
                }
                return student
            }
            next += size
            let path = URL(fileURLWithPath: folder).appending(path: "class-\(label).json").path
            try AtomicFile.write(DocumentJSON.document(ClassDocument(context: context, students: members)), to: path)
        }
    }
}
