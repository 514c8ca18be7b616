import Foundation

/// A file that cannot be written: which file, and what failed (the folder, the temporary file
/// written before it is put in place, the disk).
public struct OutputFileError: Error, CustomStringConvertible, LocalizedError {
    /// The file that was to be written.
    public var path: String
    /// What failed, in words a person acts on.
    public var reason: String

    init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `cannot write PATH: REASON`.
    public var description: String { "cannot write \(path): \(reason)" }
    /// The same as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
