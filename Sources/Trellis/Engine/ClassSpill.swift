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
    private var studentSpans: [(offset: Int, length: Int32)] = []
    private var resultSpans: [(offset: Int, length: Int32)] = []
    private(set) var ids: [String] = []
    private var indexByID: [String: Int] = [:]
    private(set) var writeError: (any Error)?

    init() throws {
        var template = Array("\(FileManager.default.temporaryDirectory.path)/trellis-class-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "a temporary file for class-level rules: \(String(cString: strerror(errno)))"])
        }
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
    /// recommendations.
    func append(image: [UInt8], lineLength: Int, id: String, recommendations: [Recommendation]) {
        let encoded = StudentImage.encode(winners: recommendations)
        guard let studentOffset = write(image), let resultOffset = write(encoded) else { return }
        studentSpans.append((studentOffset, Int32(clamping: image.count)))
        studentBytes += lineLength
        resultSpans.append((resultOffset, Int32(clamping: encoded.count)))
        indexByID[id] = ids.count
        ids.append(id)
    }

    /// The student at `index` (0-based), decoded again from its image, as a class-level rule gets
    /// it (`StudentImage.decodeForClass`).
    func student(at index: Int) -> (student: Student, packedSessions: [ArraySlice<UInt8>?])? {
        let span = studentSpans[index]
        guard let bytes = read(offset: span.offset, length: Int(span.length)) else { return nil }
        return StudentImage.decodeForClass(bytes)
    }

    /// The winning recommendations of the student at `index` (0-based): the fields class-level
    /// rules see.
    func recommendations(at index: Int) -> [Recommendation]? {
        let span = resultSpans[index]
        guard let bytes = read(offset: span.offset, length: Int(span.length)) else { return nil }
        return StudentImage.decodeWinners(bytes)
    }

    /// The index (0-based) of the student with `id`.
    func index(of id: String) -> Int? { indexByID[id] }

    private func write(_ bytes: [UInt8]) -> Int? {
        guard writeError == nil else { return nil }
        let offset = end
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + written, bytes.count - written, off_t(offset + written)) }
            if result < 0 {
                if errno == EINTR { continue }
                writeError = CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "a temporary file for class-level rules: \(String(cString: strerror(errno)))"])
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
