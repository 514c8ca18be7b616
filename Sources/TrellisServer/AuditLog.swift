import Foundation
import Logging
import Synchronization
import Trellis

#if canImport(Glibc)
// With ZIPFoundation in the build, `stat`'s fields resolve only with the modules that may own
// them imported by name (which one does changes from one build to the next).
import CoreFoundation
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only record of what the server disclosed: for each request that disclosed a
/// student's recommendations, one JSON line for the request (who asked, why, on which rules,
/// from which input) and one per student disclosed, naming the request by its id.
///
/// A request's lines go to the file together, under a lock, on a descriptor opened with
/// `O_APPEND`: they are never interleaved with another request's. When the file cannot take them
/// all (a full disk, a file-size limit), what was written of them is cut off again, so the log
/// holds every line of a request or none, and the caller withholds the answer. The next request
/// tries again: once there is room the log takes lines again, without a restart.
///
/// A server killed at any moment leaves every line it finished writing complete. A `SIGKILL`
/// that lands in the middle of a `write(2)` can cut a line short at a page boundary; such a line
/// was never followed by its answer (lines are written before the answer is sent), so when the
/// log is opened again a torn last line is cut off, and the file again holds only whole lines.
/// (Lines are not `fsync`ed one by one; a power cut can lose the last ones written, as it can
/// any file.)
///
/// It lives in the server, not in the engine library: it records requests and who made them,
/// which only the server knows.
final class AuditLog: Sendable {
    let path: String
    private let descriptor: Mutex<Int32>
    /// Whether the last append failed: `/healthz` tells, and the log says when it changes.
    private let failing = Atomic<Bool>(false)
    private let logger: Logger

    init(path: String, logger: Logger = Logger(label: "trellis.audit")) throws(ServerSetupError) {
        // Read as well as write: only to find a torn last line at the start. A new log is created
        // 0640 less the umask; an existing one keeps its mode.
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw ServerSetupError("cannot open the audit log \(path): \(String(cString: strerror(errno)))") }
        Self.cutTornLine(fd)
        self.path = path
        self.descriptor = Mutex(fd)
        self.logger = logger
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_mode & 0o007 != 0 {
            logger.warning(
                "the audit log \(path) can be read by every user of this machine (mode \(String(status.st_mode & 0o777, radix: 8))): it names students; chmod o-rwx it")
        }
    }

    /// Whether the last attempt to write failed (and so answers are being withheld).
    var isFailing: Bool { failing.load(ordering: .relaxed) }

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

    /// Appends `records`, one line each, all or none. Throws when the file cannot take them all:
    /// the caller then withholds the answer, since a disclosure must not go unrecorded.
    func append(_ records: [JSONValue]) throws(AuditError) {
        var text = ""
        for record in records {
            text += record.jsonText
            text += "\n"
        }
        var bytes = Array(text.utf8)
        let result = descriptor.withLock { (fd: inout Int32) -> AuditError? in Self.writeAll(&bytes, to: fd, path: path) }
        let wasFailing = failing.exchange(result != nil, ordering: .relaxed)
        if let result {
            if !wasFailing { logger.error("\(result.message); answers are withheld until it can be written") }
            throw result
        }
        if wasFailing { logger.notice("the audit log is writable again: \(path)") }
    }

    /// Writes `bytes` whole; on failure, cuts off what was written of them (a regular file).
    private static func writeAll(_ bytes: inout [UInt8], to fd: Int32, path: String) -> AuditError? {
        var status = stat()
        let regular = fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        let start = regular ? lseek(fd, 0, SEEK_END) : 0
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 {
                let reason = written < 0 ? String(cString: strerror(errno)) : "nothing written"
                // A request's lines are recorded whole or not at all: the answer is withheld, so
                // none of them may claim a disclosure.
                if regular, start >= 0, done > 0 { _ = ftruncate(fd, start) }
                return AuditError(message: "cannot append to the audit log \(path): \(reason)")
            }
            done += written
        }
        return nil
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
}

/// The audit log's lines (docs/server.md, "The audit log").
enum AuditRecord {
    /// The request's line, once per request: when, who, why, on which rules, from which input
    /// (`inputSHA256`, computed off the event loops), for which class and day, how many students
    /// it disclosed, and what the class-level rules recommended.
    static func request(
        _ request: AuditRequest, inputSHA256: String, pack: LoadedPack, context: ClassContext, students: Int,
        classRecommendations: [Recommendation]?, time: Date
    ) -> JSONValue {
        var fields: [String: JSONValue] = [
            "record": .string("request"),
            "time": .string(timestamp(time)),
            "request_id": .string(request.requestID),
            "endpoint": .string(request.endpoint),
            "identity": request.identity.map(JSONValue.string) ?? .null,
            "on_behalf_of": request.onBehalfOf.map(JSONValue.string) ?? .null,
            "purpose": request.purpose.map(JSONValue.string) ?? .null,
            "rule_pack_sha256": .string(pack.sha256),
            "input_sha256": .string(inputSHA256),
            "as_of": .string(context.asOf),
            "class": context.classInfo?.id.map(JSONValue.string) ?? .null,
            "students": .integer(Int64(students)),
        ]
        if let classRecommendations { fields["class_recommendations"] = .array(classRecommendations.map(recommendation)) }
        return .object(fields)
    }

    /// One student's line: whose record (its id and a hash of it), what was disclosed, and the
    /// request it was disclosed to, by id.
    static func student(_ request: AuditRequest, student: Student, result: StudentResult, time: Date) -> JSONValue {
        .object([
            "record": .string("student"),
            "time": .string(timestamp(time)),
            "request_id": .string(request.requestID),
            "student": .string(student.id),
            // The record in a canonical form (DocumentJSON), so that the same record hashes the
            // same whatever the spacing or key order of the body it came in.
            "student_sha256": .string(Digests.sha256Hex(DocumentJSON.student(student))),
            "recommendations": .array(result.recommendations.map(recommendation)),
            "errors": .integer(Int64(result.errors.count)),
        ])
    }

    private static func recommendation(_ item: Recommendation) -> JSONValue {
        var fields: [String: JSONValue] = [
            "kind": .string(item.kind), "action": .string(item.action), "rule": .string(item.rule), "reason": .string(item.reason),
        ]
        fields["skill"] = item.skill.map(JSONValue.string)
        fields["from"] = item.from.map(JSONValue.string)
        fields["to"] = item.to.map(JSONValue.string)
        if let options = item.options { fields["options"] = .array(options.map { .string($0.id) }) }
        // A class-level recommendation names the students it is about.
        if case .array(let students)? = item.extra["students"] { fields["students"] = .array(students.filter { if case .string = $0 { true } else { false } }) }
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
