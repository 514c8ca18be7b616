import Foundation

/// Writes a file whole or not at all: the bytes go to a temporary file in the same folder,
/// which is flushed and then renamed over the target. A run that is killed or fails leaves
/// the previous file untouched.
///
/// A path that names something other than a regular file (`/dev/null`, a pipe) is written
/// directly: renaming over it would replace the device with a file. A symbolic link is
/// followed, so the file it points to is replaced, not the link.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        var status = stat()
        if stat(target.path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            let handle = try FileHandle(forWritingTo: target)
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
            return
        }
        let folder = target.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(target.lastPathComponent).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw CocoaError.error(.fileWriteNoPermission, url: target) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            fchmod(descriptor, 0o644)
            try handle.close()
            guard rename(temporaryPath, target.path) == 0 else {
                throw CocoaError.error(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))], url: target)
            }
        } catch {
            unlink(temporaryPath)
            throw error
        }
    }
}
