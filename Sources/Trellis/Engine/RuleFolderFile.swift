import Foundation

#if canImport(Glibc)
// With ZIPFoundation in the build, `stat`'s fields resolve only with the modules that may own
// them imported by name (which one does changes from one build to the next).
import CoreFoundation
import Glibc
#endif

/// Reads a file of a rule folder only when it is really in the folder: a regular file there, or a
/// symbolic link to a regular file inside the same folder (a pack that shares one file under two
/// names). A link that leads out of the folder is not followed, so a rule author who can put a
/// link in the folder cannot make Trellis read, and a syntax error quote, another file; and
/// nothing but a regular file is read (a named pipe would wait forever, a device never end).
///
/// The folder may itself be a link: it is the folder the user named.
enum RuleFolderFile {
    /// The file's text, or why it is not read (a message for the file's issue).
    static func read(_ path: String, inFolder folder: String) -> Result<Data, Refusal> {
        guard let realFolder = realPath(folder) else { return .failure(Refusal("its folder cannot be read")) }
        var status = stat()
        guard lstat(path, &status) == 0 else { return .failure(Refusal("cannot be read: \(String(cString: strerror(errno)))")) }
        var target = path
        if status.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realPath(path) else { return .failure(Refusal("is a link to nothing")) }
            guard resolved.hasPrefix(realFolder.hasSuffix("/") ? realFolder : realFolder + "/") else {
                return .failure(Refusal("is a link to a file outside the rule folder; Trellis does not follow it (copy the file in)"))
            }
            target = resolved
        }
        // Not blocking on a pipe, not following a link swapped in since the check.
        let descriptor = open(target, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Refusal("cannot be read: \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            return .failure(Refusal("is not a regular file (a pipe, a device or a socket); a rule folder holds files"))
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return .failure(Refusal("cannot be read: \(String(cString: strerror(errno)))")) }
            if count == 0 { return .success(data) }
            data.append(contentsOf: chunk[..<count])
        }
    }

    /// Why a file was not read.
    struct Refusal: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
