import Foundation

/// The temporary file that a streamed class keeps its students in, for its class-level rules,
/// cannot be made or written: the folder (TMPDIR) and what failed, such as a full disk.
public struct TemporaryFileError: Error, CustomStringConvertible, LocalizedError {
    /// The folder of temporary files: `TMPDIR`, or `/tmp`.
    public var folder: String
    /// What failed, such as `No space left on device`.
    public var reason: String

    init(folder: String, reason: String) {
        self.folder = folder
        self.reason = reason
    }

    /// What failed, where, and what to do.
    public var description: String {
        "cannot keep the class's students for the class-level rules in a temporary file in \(folder) (TMPDIR): \(reason); "
            + "give TMPDIR a folder with room"
    }

    /// The same as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
