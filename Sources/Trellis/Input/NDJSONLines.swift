import Foundation

/// The lines of NDJSON bytes held whole, with their 1-based numbers, skipping lines of
/// whitespace only (they still count): the one way lines are split, here for a buffer read whole
/// (`RosterReader`) and through `newline(in:from:)` and `isBlank` for a stream (`LineReader`).
/// The last line needs no newline.
struct NDJSONLines: Sequence, IteratorProtocol {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var start = 0
    private var number = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func next() -> (number: Int, line: UnsafeBufferPointer<UInt8>)? {
        while start < bytes.count {
            let end = Self.newline(in: bytes, from: start) ?? bytes.count
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            defer {
                start = end + 1
                number += 1
            }
            if !Self.isBlank(line) { return (number, line) }
        }
        return nil
    }

    /// The index of the first newline at or after `start`.
    static func newline(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < buffer.count, let base = buffer.baseAddress else { return nil }
        guard let found = memchr(base + start, 0x0A, buffer.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether the bytes are JSON whitespace only (or none).
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.contains { !isWhitespace($0) }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
