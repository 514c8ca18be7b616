import Foundation

/// The evaluated students of a streamed roster and their winning recommendations, kept in a
/// temporary file for class-level rules, so that memory stays flat in the roster's size: a
/// class-level rule builds a student's table only when it reads that student.
///
/// Not `Sendable`: the stream's pipeline owns it while it is written, in input order, under the
/// pipeline's lock, and hands it back (`StreamPipeline.end`) to the thread that runs the
/// class-level rules once every student is done.
final class ClassSpill {
    private let file: TemporaryFile
    // Per student, in input order: where its image starts (its winners follow it, up to the
    // next student's start), the image's length, and its line. Flat arrays of numbers, since at
    // district scale this index is most of what grows with the roster.
    private var starts: [Int] = []
    private var imageLengths: [UInt32] = []
    private var lines: [Int] = []
    private(set) var ids: [String] = []
    /// The line where each id of the stream was first used: the duplicate check's table, handed
    /// over when the stream ends rather than kept twice (`useFirstLines`).
    private var firstLines: [String: Int] = [:]
    /// The first write that failed (a full disk): the stream stops reading, and the run fails
    /// with it rather than with the input.
    private(set) var writeError: TemporaryFileError?

    init() throws(TemporaryFileError) {
        file = try TemporaryFile(for: "the class's students for the class-level rules")
    }

    var count: Int { ids.count }

    /// Bytes of the input lines of the students kept (what the class's size is judged by).
    private(set) var studentBytes = 0

    /// Keeps one evaluated student: its checked record (a `StudentImage`), and its winning
    /// recommendations. Students come in input order.
    func append(image: [UInt8], lineLength: Int, line: Int, id: String, recommendations: [Recommendation]) {
        let encoded = StudentImage.encode(winners: recommendations)
        guard let start = write(image), write(encoded) != nil else { return }
        starts.append(start)
        imageLengths.append(UInt32(image.count))
        lines.append(line)
        studentBytes += lineLength
        ids.append(id)
    }

    /// The student at `index` (0-based), decoded again from its image, as a class-level rule gets
    /// it (`StudentImage.decodeForClass`).
    func student(at index: Int) -> (student: Student, packedSessions: [ArraySlice<UInt8>?])? {
        guard let bytes = read(offset: starts[index], length: Int(imageLengths[index])) else { return nil }
        return StudentImage.decodeForClass(bytes)
    }

    /// The winning recommendations of the student at `index` (0-based): the fields class-level
    /// rules see.
    func recommendations(at index: Int) -> [Recommendation]? {
        let start = starts[index] + Int(imageLengths[index])
        let next = index + 1 < starts.count ? starts[index + 1] : file.size
        guard let bytes = read(offset: start, length: next - start) else { return nil }
        return StudentImage.decodeWinners(bytes)
    }

    /// Takes the line where each id of the stream was first used, after the last `append`; ids
    /// whose first line was not kept (a student that was not evaluated) are found by no index.
    func useFirstLines(_ firstLines: [String: Int]) {
        self.firstLines = firstLines
    }

    /// The index (0-based) of the student with `id`.
    func index(of id: String) -> Int? {
        guard let line = firstLines[id] else { return nil }
        var low = 0
        var high = lines.count
        while low < high {
            let middle = (low + high) / 2
            if lines[middle] < line { low = middle + 1 } else { high = middle }
        }
        return low < lines.count && lines[low] == line ? low : nil
    }

    private func write(_ bytes: [UInt8]) -> Int? {
        guard writeError == nil else { return nil }
        do {
            return try file.append(bytes)
        } catch {
            writeError = error
            return nil
        }
    }

    private func read(offset: Int, length: Int) -> [UInt8]? {
        file.read(offset: offset, length: length)
    }
}
