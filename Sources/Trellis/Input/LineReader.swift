import Foundation

/// Reads an NDJSON stream from a file descriptor in batches of whole lines, so that a roster of
/// any size is read with memory bounded by the batch size.
///
/// A leading byte-order mark is dropped; a last line without a newline still counts; lines of
/// whitespace only are skipped (they still count in line numbers).
struct LineReader {
    /// Lines that share one buffer.
    struct Batch {
        var bytes: [UInt8]
        /// Each line's 1-based number in the stream and its byte range in `bytes`.
        var lines: [(number: Int, range: Range<Int>)]
        /// Bytes read from the stream so far, this batch included (for progress).
        var bytesReadSoFar: Int
    }

    private let descriptor: Int32
    private var pending: [UInt8]
    private var nextLineNumber = 1
    private var atEnd = false
    private var isFirstRead = true
    private(set) var bytesRead = 0
    private let linesPerBatch: Int
    private let chunkSize: Int

    /// - Parameters:
    ///   - prefix: bytes already taken from `descriptor` (to detect the format), read first.
    init(descriptor: Int32, prefix: [UInt8] = [], linesPerBatch: Int = 64, chunkSize: Int = 1 << 18) {
        self.descriptor = descriptor
        self.pending = prefix
        self.bytesRead = prefix.count
        self.linesPerBatch = linesPerBatch
        self.chunkSize = chunkSize
    }

    /// The next batch, or nil at the end of the stream.
    mutating func next() throws -> Batch? {
        var lines: [(number: Int, range: Range<Int>)] = []
        var lineStart = 0
        var searchFrom = 0
        while true {
            if isFirstRead, pending.count >= 3 || atEnd {
                isFirstRead = false
                if pending.starts(with: [0xEF, 0xBB, 0xBF]) {
                    pending.removeFirst(3)
                    searchFrom = 0
                }
            }
            var index = max(searchFrom, lineStart)
            var start = lineStart
            var lineNumber = nextLineNumber
            let count = pending.count
            let wanted = linesPerBatch - lines.count
            let found = pending.withUnsafeBufferPointer { buffer -> [(number: Int, range: Range<Int>)] in
                var found: [(number: Int, range: Range<Int>)] = []
                while index < count, found.count < wanted {
                    guard let newline = NDJSONLines.newline(in: buffer, from: index) else {
                        index = count
                        break
                    }
                    let range = start..<newline
                    if !NDJSONLines.isBlank(UnsafeBufferPointer(rebasing: buffer[range])) { found.append((lineNumber, range)) }
                    lineNumber += 1
                    start = newline + 1
                    index = start
                }
                return found
            }
            nextLineNumber = lineNumber
            lineStart = start
            searchFrom = index
            lines.append(contentsOf: found)
            if lines.count >= linesPerBatch { return finish(lines: lines, consumed: lineStart) }
            if atEnd {
                // The last line may have no newline.
                let range = lineStart..<pending.count
                if !range.isEmpty {
                    let blank = pending.withUnsafeBufferPointer { NDJSONLines.isBlank(UnsafeBufferPointer(rebasing: $0[range])) }
                    if !blank { lines.append((number: nextLineNumber, range: range)) }
                    nextLineNumber += 1
                }
                return finish(lines: lines, consumed: pending.count)
            }
            try fill()
        }
    }

    private mutating func finish(lines: [(number: Int, range: Range<Int>)], consumed: Int) -> Batch? {
        if lines.isEmpty && atEnd && consumed >= pending.count {
            pending = []
            return nil
        }
        let bytes = Array(pending[0..<consumed])
        pending.removeFirst(consumed)
        return Batch(bytes: bytes, lines: lines, bytesReadSoFar: bytesRead - pending.count)
    }

    private mutating func fill() throws {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let got = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, chunkSize) }
            if got < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            if got == 0 {
                atEnd = true
                return
            }
            bytesRead += got
            pending.append(contentsOf: chunk[0..<got])
            return
        }
    }
}
