import Foundation

/// A file in the temporary folder (`TMPDIR`, else `/tmp`) that only this process can reach: it
/// is unlinked as soon as it is made, so it goes away with the process however that ends. It
/// holds what a run must keep but need not keep in memory: a streamed class's students for the
/// class-level rules, a JSON report's errors until the results are written.
final class TemporaryFile {
    private let descriptor: Int32
    private let purpose: String
    private let folder: String
    /// Bytes appended so far.
    private(set) var size = 0

    /// - Parameter purpose: what the file keeps, as errors name it (`TemporaryFileError.purpose`).
    init(for purpose: String) throws(TemporaryFileError) {
        self.purpose = purpose
        folder = FileManager.default.temporaryDirectory.path
        var template = Array("\(folder)/trellis-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw TemporaryFileError(folder: folder, reason: String(cString: strerror(errno)), purpose: purpose) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit {
        close(descriptor)
    }

    /// Appends `bytes` and returns the offset they start at.
    @discardableResult
    func append(_ bytes: UnsafeRawBufferPointer) throws(TemporaryFileError) -> Int {
        let offset = size
        var written = 0
        while written < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
            if result < 0 {
                if errno == EINTR { continue }
                throw TemporaryFileError(folder: folder, reason: String(cString: strerror(errno)), purpose: purpose)
            }
            written += result
        }
        size += bytes.count
        return offset
    }

    @discardableResult
    func append(_ bytes: [UInt8]) throws(TemporaryFileError) -> Int {
        var failure: TemporaryFileError?
        let offset = bytes.withUnsafeBytes { buffer -> Int in
            do throws(TemporaryFileError) {
                return try append(buffer)
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        return offset
    }

    /// `length` bytes from `offset`, or nil when the file is shorter or cannot be read.
    func read(offset: Int, length: Int) -> [UInt8]? {
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

    /// The whole file as text, in pieces of about `pieceSize` bytes cut between characters.
    func forEachPiece(pieceSize: Int = 1 << 20, _ body: (String) throws -> Void) throws {
        var offset = 0
        while offset < size {
            guard var piece = read(offset: offset, length: min(pieceSize, size - offset)) else {
                throw TemporaryFileError(folder: folder, reason: "it could not be read back", purpose: purpose)
            }
            // A piece ends before a character's first byte (never inside one), unless it is the last.
            if offset + piece.count < size, let cut = piece.lastIndex(where: { $0 & 0xC0 != 0x80 }), cut > 0 {
                piece.removeSubrange(cut...)
            }
            try body(String(decoding: piece, as: UTF8.self))
            offset += piece.count
        }
    }
}
