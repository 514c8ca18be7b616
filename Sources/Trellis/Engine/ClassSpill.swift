import Foundation

/// The evaluated students of a streamed roster and their winning recommendations, kept in a
/// temporary file for class-level rules, so that memory stays flat in the roster's size: a
/// class-level rule builds a student's table only when it reads that student.
///
/// Written in input order by one thread (the stream's ordered stage), read after every student
/// is done by the thread that runs the class-level rules.
final class ClassSpill: @unchecked Sendable {
    private let descriptor: Int32
    private var end = 0
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
    private(set) var writeError: TemporaryFileError?
    /// The folder of temporary files (TMPDIR), for errors.
    private let folder: String

    init() throws(TemporaryFileError) {
        folder = FileManager.default.temporaryDirectory.path
        var template = Array("\(folder)/trellis-class-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw TemporaryFileError(folder: folder, reason: String(cString: strerror(errno))) }
        // Unlinked at once: the file goes away with the process, however it ends.
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit {
        close(descriptor)
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
        let next = index + 1 < starts.count ? starts[index + 1] : end
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
        let offset = end
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + written, bytes.count - written, off_t(offset + written)) }
            if result < 0 {
                if errno == EINTR { continue }
                writeError = TemporaryFileError(folder: folder, reason: String(cString: strerror(errno)))
                return nil
            }
            written += result
        }
        end += bytes.count
        return offset
    }

    private func read(offset: Int, length: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let result = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, length - done, off_t(offset + done)) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return nil }
            done += result
        }
        return bytes
    }
}
