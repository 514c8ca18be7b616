import Foundation

#if canImport(Glibc)
// With ZIPFoundation in the build, `stat`'s fields resolve only with the modules that may own
// them imported by name (which one does changes from one build to the next).
import CoreFoundation
import Glibc
#endif

/// Where a report's text goes, piece by piece.
public protocol OutputSink: AnyObject {
    /// Appends text.
    func write(_ text: String) throws
    /// Appends text given as UTF-8 bytes (how ``ReportWriter`` hands it over).
    func write(bytes: [UInt8]) throws
    /// The report is complete: make it visible (for a file, put it in place).
    func commit() throws
    /// The run failed: leave nothing behind (for a file, keep the previous one).
    func abort()
}

extension OutputSink {
    /// Appends the text of `bytes` through ``write(_:)``, for a sink that takes text only.
    public func write(bytes: [UInt8]) throws {
        try write(String(decoding: bytes, as: UTF8.self))
    }
}

/// Writes to a file descriptor as it goes (standard output, or a device such as `/dev/null`).
package final class DescriptorSink: OutputSink {
    private let handle: FileHandle

    package init(descriptor: Int32 = STDOUT_FILENO) {
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
    }

    init(handle: FileHandle) {
        self.handle = handle
    }

    package func write(_ text: String) throws {
        try handle.write(contentsOf: Data(text.utf8))
    }

    package func write(bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
    }

    package func commit() throws {}
    package func abort() {}
}

/// Writes a file whole or not at all: the text goes to a temporary file in the same folder,
/// which is flushed and renamed over the target on `commit`. A run that is killed or fails
/// leaves the previous file untouched.
///
/// The file holds student records, so it is never more open than the umask or the file it
/// replaces allow: the temporary file is private (0600) while it is written; on `commit` it
/// takes the mode of the file it replaces (permission bits), or, for a new file, 0666 less the
/// umask, as any program's new file would. A replaced file's group is kept where the writer may
/// give it (root, or a member of that group); where it may not, the new file has no group
/// permissions rather than the writer's group getting the old group's. Root keeps the old owner too.
///
/// A path that names something other than a regular file (`/dev/null`, a pipe) is written
/// directly: renaming over it would replace the device with a file. A symbolic link is
/// followed, so the file it points to is replaced, not the link. Every failure is an
/// ``OutputFileError`` that names the file and, where it was at fault, the temporary file or its
/// folder.
public final class AtomicFileSink: OutputSink {
    private let target: URL
    private let descriptor: Int32
    private let temporaryPath: String?
    /// The permission bits the file gets on `commit`.
    private let finalMode: mode_t
    private var closed = false

    /// Opens `path` for writing: a private temporary file beside it, or the device it names.
    ///
    /// - Throws: ``OutputFileError`` when `path` is a folder, or its folder takes no new file.
    public init(path: String) throws(OutputFileError) {
        target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let targetPath = target.path
        var existing = stat()
        let replaces = stat(targetPath, &existing) == 0
        if replaces, existing.st_mode & S_IFMT == S_IFDIR {
            throw OutputFileError(path: path, "it is a folder; give the name of a file to write, such as \(path)/report.json")
        }
        if replaces, existing.st_mode & S_IFMT != S_IFREG {
            descriptor = open(targetPath, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw OutputFileError(path: path, Self.reason()) }
            temporaryPath = nil
            finalMode = 0
            return
        }
        let folder = target.deletingLastPathComponent().path
        // mkstemp creates the file 0600, whatever the umask.
        var template = Array("\(folder)/.\(target.lastPathComponent).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else {
            throw OutputFileError(
                path: path, "cannot create a temporary file in \(folder) (the output is written there first, then renamed into place): \(Self.reason())")
        }
        descriptor = made
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if replaces {
            var mode = existing.st_mode & 0o777
            var created = stat()
            _ = fstat(made, &created)
            if geteuid() == 0, existing.st_uid != created.st_uid || existing.st_gid != created.st_gid {
                _ = fchown(made, existing.st_uid, existing.st_gid)
            } else if existing.st_gid != created.st_gid, fchown(made, uid_t.max, existing.st_gid) != 0 {
                mode &= ~0o070
            }
            finalMode = mode
        } else {
            finalMode = 0o666 & ~Self.currentUmask()
        }
    }

    deinit {
        if !closed { abort() }
    }

    /// Appends `text` to the temporary file. On failure (a full disk) the temporary file is
    /// removed and an ``OutputFileError`` names it; the file at `path` is untouched.
    public func write(_ text: String) throws {
        try write(bytes: Array(text.utf8))
    }

    /// Appends `bytes` to the temporary file, as ``write(_:)`` does text.
    public func write(bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { writeBytes(descriptor, $0.baseAddress! + done, $0.count - done) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                let reason = Self.reason()
                abort()
                throw failure(writing: reason)
            }
            done += written
        }
    }

    /// Gives the temporary file its final mode, flushes it to disk and renames it over `path`.
    public func commit() throws {
        guard !closed else { return }
        closed = true
        guard let temporaryPath else {
            guard close(descriptor) == 0 else { throw OutputFileError(path: target.path, Self.reason()) }
            return
        }
        var problem: OutputFileError?
        if fchmod(descriptor, finalMode) != 0 || fsync(descriptor) != 0 { problem = failure(writing: Self.reason()) }
        if close(descriptor) != 0, problem == nil { problem = failure(writing: Self.reason()) }
        if problem == nil, rename(temporaryPath, target.path) != 0 {
            problem = OutputFileError(path: target.path, "cannot rename the finished temporary file \(temporaryPath) over it: \(Self.reason())")
        }
        if let problem {
            unlink(temporaryPath)
            throw problem
        }
    }

    /// Removes the temporary file; the file at `path` stays as it was.
    public func abort() {
        guard !closed else { return }
        closed = true
        close(descriptor)
        if let temporaryPath { unlink(temporaryPath) }
    }

    private func failure(writing reason: String) -> OutputFileError {
        guard let temporaryPath else { return OutputFileError(path: target.path, reason) }
        let kept = access(target.path, F_OK) == 0 ? "; the file as it was is kept" : ""
        return OutputFileError(path: target.path, "writing its temporary file \(temporaryPath) failed: \(reason)\(kept)")
    }

    private static func reason() -> String { String(cString: strerror(errno)) }

    /// The process's umask, without changing it where the system tells it (Linux).
    static func currentUmask() -> mode_t {
        #if os(Linux)
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
            let mask = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
        {
            return mask
        }
        #endif
        // Read by setting it and back; for that instant, the strictest mask.
        let mask = umask(0o077)
        umask(mask)
        return mask
    }
}

/// `write(2)`, by a name the sinks' own `write` does not hide.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// Collects the text in memory.
final class StringSink: OutputSink {
    private(set) var text = ""
    func write(_ text: String) throws { self.text += text }
    func commit() throws {}
    func abort() {}
}
