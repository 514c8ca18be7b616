import Foundation

/// Where a report's text goes, piece by piece.
public protocol OutputSink: AnyObject {
    /// Appends text.
    func write(_ text: String) throws
    /// The report is complete: make it visible (for a file, put it in place).
    func commit() throws
    /// The run failed: leave nothing behind (for a file, keep the previous one).
    func abort()
}

/// Writes to a file descriptor as it goes (standard output, or a device such as `/dev/null`).
public final class DescriptorSink: OutputSink {
    private let handle: FileHandle

    public init(descriptor: Int32 = STDOUT_FILENO) {
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
    }

    init(handle: FileHandle) {
        self.handle = handle
    }

    public func write(_ text: String) throws {
        try handle.write(contentsOf: Data(text.utf8))
    }

    public func commit() throws {}
    public func abort() {}
}

/// Writes a file whole or not at all: the text goes to a temporary file in the same folder,
/// which is flushed and renamed over the target on `commit`. A run that is killed or fails
/// leaves the previous file untouched.
///
/// A path that names something other than a regular file (`/dev/null`, a pipe) is written
/// directly: renaming over it would replace the device with a file. A symbolic link is
/// followed, so the file it points to is replaced, not the link.
public final class AtomicFileSink: OutputSink {
    private let target: URL
    private let handle: FileHandle
    private let temporaryPath: String?
    private var closed = false

    public init(path: String) throws {
        target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        var status = stat()
        if stat(target.path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            handle = try FileHandle(forWritingTo: target)
            temporaryPath = nil
            return
        }
        let folder = target.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(target.lastPathComponent).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        fchmod(descriptor, 0o644)
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    deinit {
        if !closed { abort() }
    }

    public func write(_ text: String) throws {
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            abort()
            throw error
        }
    }

    public func commit() throws {
        guard !closed else { return }
        closed = true
        guard let temporaryPath else {
            try handle.close()
            return
        }
        do {
            try handle.synchronize()
            try handle.close()
            guard rename(temporaryPath, target.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            unlink(temporaryPath)
            throw error
        }
    }

    public func abort() {
        guard !closed else { return }
        closed = true
        try? handle.close()
        if let temporaryPath { unlink(temporaryPath) }
    }
}

/// Collects the text in memory.
final class StringSink: OutputSink {
    private(set) var text = ""
    func write(_ text: String) throws { self.text += text }
    func commit() throws {}
    func abort() {}
}
