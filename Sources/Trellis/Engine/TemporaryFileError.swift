import Foundation

/// A temporary file that a run keeps data in cannot be made or written: the folder (TMPDIR) and
/// what failed, such as a full disk. The input and the output are not at fault.
public struct TemporaryFileError: Error, CustomStringConvertible, LocalizedError {
    /// The folder of temporary files: `TMPDIR`, or `/tmp`.
    public var folder: String
    /// What failed, such as `No space left on device`.
    public var reason: String
    /// What the file was to keep: the class's students for the class-level rules (a streamed
    /// class), or the skipped students' errors until a JSON report's results are written.
    public var purpose: String

    init(folder: String, reason: String, purpose: String = "the class's students for the class-level rules") {
        self.folder = folder
        self.reason = reason
        self.purpose = purpose
    }

    /// What failed, where, and what to do.
    public var description: String {
        "cannot keep \(purpose) in a temporary file in \(folder) (TMPDIR): \(reason); give TMPDIR a folder with room"
    }

    /// The same as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
