import Foundation

/// Runs `body` with `text` in a temporary file opened for reading, as a stream's input; the file
/// is closed and removed after.
func withTemporaryInput<T>(_ text: String, _ body: (Int32) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appending(path: "trellis-input-\(UUID().uuidString).ndjson").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let descriptor = open(path, O_RDONLY)
    defer {
        close(descriptor)
        unlink(path)
    }
    guard descriptor >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
    return try body(descriptor)
}
