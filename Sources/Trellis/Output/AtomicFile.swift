import Foundation

/// Writes a file whole or not at all: the bytes go to a temporary file in the same folder,
/// which is flushed and then renamed over the target. A run that is killed or fails leaves
/// the previous file untouched.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        let target = URL(fileURLWithPath: path)
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
            guard rename(temporaryPath, path) == 0 else {
                throw CocoaError.error(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))], url: target)
            }
        } catch {
            unlink(temporaryPath)
            throw error
        }
    }
}
