import Foundation
import Trellis

/// Why a file could not be written, in words a user acts on: which file, what failed, and the
/// system's reason (never Foundation's "NSCocoaErrorDomain error 512").
enum FileProblem {
    /// `cannot write PATH: REASON`, where the reason is looked for in the file system first (a
    /// folder in the way, a folder missing), then in the error.
    static func writing(_ path: String, _ error: any Error) -> String {
        if let temporary = error as? TemporaryFileError { return temporary.description }
        return "cannot write \(path): \(reason(writing: path, error))"
    }

    static func reason(writing path: String, _ error: any Error) -> String {
        var isFolder: ObjCBool = false
        let files = FileManager.default
        if files.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            return "it is a folder, not a file"
        }
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        if !files.fileExists(atPath: folder, isDirectory: &isFolder) { return "the folder \(folder) does not exist" }
        if !isFolder.boolValue { return "\(folder) is not a folder" }
        return systemReason(error)
    }

    /// The POSIX reason inside a Foundation error (`No space left on device`), or its own words.
    static func systemReason(_ error: any Error) -> String {
        var current: NSError? = error as NSError
        while let nsError = current {
            if nsError.domain == NSPOSIXErrorDomain, let text = strerror(Int32(nsError.code)) { return String(cString: text) }
            if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
                current = posix
                continue
            }
            break
        }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let text = (error as NSError).localizedDescription
        return text.contains("NSCocoaErrorDomain") ? "the file cannot be written" : text
    }
}
