import Foundation
import Synchronization
import Trellis

#if canImport(Glibc)
// `stat` is owned by CoreFoundation's module once the build holds ZIPFoundation (the importers').
import CoreFoundation
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only record of what the server disclosed: one JSON line per evaluated student.
///
/// Each line goes to the file with a single `write(2)` on a descriptor opened with `O_APPEND`,
/// so the kernel puts it whole at the end of the file: a server killed at any moment leaves
/// every line it finished writing complete, and never half a line. (Lines are not `fsync`ed
/// one by one; a power cut can lose the last ones written, as it can any file.)
///
/// A `SIGKILL` that lands in the middle of a `write(2)` can still cut it short at a page
/// boundary. Such a line was never followed by its answer (lines are written before the answer
/// is sent), so when the log is opened again a torn last line is cut off, and the file again
/// holds only whole lines.
///
/// It lives in the server, not in the engine library: it records requests and who made them,
/// which only the server knows.
final class AuditLog: Sendable {
    let path: String
    private let descriptor: Mutex<Int32>

    init(path: String) throws(ServerSetupError) {
        // Read as well as write: only to find a torn last line at the start.
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw ServerSetupError("cannot open the audit log \(path): \(String(cString: strerror(errno)))") }
        Self.cutTornLine(fd)
        self.path = path
        self.descriptor = Mutex(fd)
    }

    /// Cuts the file back to its last newline when it ends inside a line (a write torn by a kill).
    /// Only a regular file is touched; a pipe or a device is written as it is.
    private static func cutTornLine(_ fd: Int32) {
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else { return }
        var end = status.st_size
        var byte: UInt8 = 0
        guard pread(fd, &byte, 1, end - 1) == 1, byte != 0x0A else { return }
        // Back to the last newline, a block at a time.
        var block = [UInt8](repeating: 0, count: 4096)
        while end > 0 {
            let start = max(0, end - off_t(block.count))
            let count = Int(end - start)
            guard pread(fd, &block, count, start) == count else { return }
            if let newline = block[0..<count].lastIndex(of: 0x0A) {
                _ = ftruncate(fd, start + off_t(newline) + 1)
                return
            }
            end = start
        }
        _ = ftruncate(fd, 0)
    }

    deinit {
        descriptor.withLock { fd in
            _ = close(fd)
        }
    }

    /// Appends `records`, one line each. Throws when the file cannot take them: the caller
    /// then withholds the answer, since a disclosure must not go unrecorded.
    func append(_ records: [JSONValue]) throws(AuditError) {
        for record in records {
            let line = Array((record.jsonText + "\n").utf8)
            try descriptor.withLock { (fd: inout Int32) throws(AuditError) in
                // A line is written whole or not at all: a short write (a full disk) is undone
                // rather than completed by a second write that another line might precede.
                let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written == line.count { return }
                let reason = written < 0 ? String(cString: strerror(errno)) : "only \(written) of \(line.count) bytes written"
                let end = lseek(fd, 0, SEEK_END)
                if written > 0, end >= off_t(written) { _ = ftruncate(fd, end - off_t(written)) }
                throw AuditError(message: "cannot append to the audit log \(path): \(reason)")
            }
        }
    }
}

struct AuditError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Who asked and what for, for the audit records of one request.
struct AuditRequest: Sendable {
    /// The token's name, when the server has tokens.
    var identity: String?
    /// What the client said in `X-Trellis-User`: the person on whose behalf it asked. Not
    /// verified by the server; recorded as stated.
    var onBehalfOf: String?
    var requestID: String
    var endpoint: String
    var purpose: String?
    /// SHA-256 of the request body as received.
    var inputSHA256: String
}

enum AuditRecord {
    /// One line: when, who, on which rules, from which input, about which student, what was disclosed.
    static func make(
        _ request: AuditRequest, pack: LoadedPack, context: ClassContext, student: Student, result: StudentResult, time: Date = Date()
    ) -> JSONValue {
        let fields: [String: JSONValue] = [
            "time": .string(timestamp(time)),
            "request_id": .string(request.requestID),
            "endpoint": .string(request.endpoint),
            "identity": request.identity.map(JSONValue.string) ?? .null,
            "on_behalf_of": request.onBehalfOf.map(JSONValue.string) ?? .null,
            "purpose": request.purpose.map(JSONValue.string) ?? .null,
            "rule_pack_sha256": .string(pack.sha256),
            "input_sha256": .string(request.inputSHA256),
            // The record in a canonical form (DocumentJSON), so that the same record hashes the
            // same whatever the spacing or key order of the body it came in.
            "student_sha256": .string(SHA256.hex(DocumentJSON.student(student))),
            "student": .string(student.id),
            "as_of": .string(context.asOf),
            "class": context.classInfo?.id.map(JSONValue.string) ?? .null,
            "recommendations": .array(result.recommendations.map(recommendation)),
            "errors": .integer(Int64(result.errors.count)),
        ]
        return .object(fields)
    }

    private static func recommendation(_ item: Recommendation) -> JSONValue {
        var fields: [String: JSONValue] = [
            "kind": .string(item.kind), "action": .string(item.action), "rule": .string(item.rule), "reason": .string(item.reason),
        ]
        fields["skill"] = item.skill.map(JSONValue.string)
        fields["from"] = item.from.map(JSONValue.string)
        fields["to"] = item.to.map(JSONValue.string)
        if let options = item.options { fields["options"] = .array(options.map { .string($0.id) }) }
        return .object(fields)
    }

    /// RFC 3339 in UTC with milliseconds: `2026-11-20T14:03:07.123Z`.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(milliseconds % 1000))
    }
}
