import Foundation
import Trellis


/// The input of `trellis evaluate`: a file or standard input, read as a stream. Its first
/// line is read ahead to tell NDJSON from a document.
final class InputSource {
    let descriptor: Int32
    /// The name used in error locations.
    let name: String
    /// The size of a regular file, for progress.
    let size: Int?
    /// Bytes already read from `descriptor`.
    private(set) var prefix: [UInt8] = []
    private var reachedEnd = false
    private let ownsDescriptor: Bool

    init(path: String) throws {
        if path == "-" {
            descriptor = STDIN_FILENO
            name = "<stdin>"
            ownsDescriptor = false
        } else {
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            name = path
            ownsDescriptor = true
        }
        // A seekable input's size, for progress; a pipe has none.
        let current = lseek(descriptor, 0, SEEK_CUR)
        let end = current >= 0 ? lseek(descriptor, 0, SEEK_END) : -1
        if current >= 0 { lseek(descriptor, current, SEEK_SET) }
        size = end >= current && current >= 0 ? Int(end - current) : nil
    }

    /// Reads until the first non-blank line is whole (or the input ends).
    func readFirstLine() throws {
        while !reachedEnd {
            if let firstContent = prefix.firstIndex(where: { !Self.isBlank($0) && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }),
                prefix[firstContent...].contains(0x0A)
            {
                return
            }
            try readChunk()
        }
    }

    /// True when the input has nothing but whitespace (and perhaps a byte-order mark).
    var isEmpty: Bool {
        (try? readFirstLine()) != nil && reachedEnd && prefix.allSatisfy { Self.isBlank($0) || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
    }

    /// Everything: what was read ahead and the rest.
    func readAll() throws -> [UInt8] {
        while !reachedEnd { try readChunk() }
        return prefix
    }

    func close() {
        if ownsDescriptor { Foundation.close(descriptor) }
    }

    private func readChunk() throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            if got == 0 { reachedEnd = true } else { prefix.append(contentsOf: chunk[0..<got]) }
            return
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

extension StudentOutcome {
    /// The errors of this student: its rules' failures, or why it was skipped.
    var issues: [TrellisIssue]? {
        switch self {
        case .evaluated(let result): result.errors
        case .skipped(_, let issues): issues
        }
    }
}
