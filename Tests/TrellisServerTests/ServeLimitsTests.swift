import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import Trellis

#if canImport(Glibc)
import Glibc
#endif

/// `trellis serve` as a real process at the edge of its resources: a full disk under the audit
/// log, and more idle connections than it may hold.
@Suite(.serialized) struct ServeLimitsTests {
    typealias ServeProcess = ServeProcessTests.ServeProcess

    struct Answer {
        var status: Int
        var body: String
        var requestID: String?
    }

    static func request(_ client: HTTPClient, port: Int, _ method: HTTPMethod, _ path: String, body: Data? = nil, timeout: TimeAmount = .seconds(60)) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Trellis-User", value: "t-ortiz")
            request.headers.add(name: "X-Trellis-Purpose", value: "IEP meeting prep")
            request.body = .bytes(ByteBuffer(bytes: Array(body)))
        }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), body: String(buffer: bytes), requestID: response.headers.first(name: "X-Request-Id"))
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    /// Runs `/usr/bin/prlimit` on a running process.
    static func prlimit(_ pid: Int32, _ options: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--pid", String(pid)] + options
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    // MARK: A full disk under the audit log

    @Test func aFullDiskWithholdsWholeRequestsKeepsServingAndRecoversWhenThereIsRoom() async throws {
        let folder = try Support.temporaryFolder()
        let audit = folder.appending(path: "audit.ndjson")
        // A file-size limit stands for a full disk: past 40,000 bytes every write fails (EFBIG).
        let server = try ServeProcess(["--audit", audit.path, "--workers", "1"], limits: ["--fsize=40000:unlimited"])
        let client = HTTPClient.shared

        var answered: [String] = []
        var refused: Answer?
        for _ in 0..<100 {
            let answer = try await Self.request(client, port: server.port, .POST, "/v1/evaluate", body: Support.exampleClass)
            if answer.status == 200 {
                answered.append(try #require(answer.requestID))
                continue
            }
            refused = answer
            break
        }
        let withheld = try #require(refused, "the log never filled")
        #expect(withheld.status == 503)
        #expect(Self.json(withheld.body)["error"] as? String == "audit_unavailable")
        #expect(Self.json(withheld.body)["results"] == nil)
        #expect(!answered.isEmpty)

        // Still serving: health answers, and says that the log cannot be written.
        let health = try await Self.request(client, port: server.port, .GET, "/healthz")
        #expect(health.status == 200)
        #expect(Self.json(health.body)["audit"] as? String == "failing", "\(health.body)")
        #expect(server.process.isRunning)

        // The log holds whole lines, and whole requests: each request line and all its students,
        // for every answer sent and for none withheld.
        func requestsInLog() throws -> [String: (students: Int, lines: Int)] {
            let text = try String(contentsOf: audit, encoding: .utf8)
            #expect(text.isEmpty || text.hasSuffix("\n"), "the log ends inside a line")
            var requests: [String: (students: Int, lines: Int)] = [:]
            for line in text.split(separator: "\n") {
                let record = Self.json(String(line))
                let id = try #require(record["request_id"] as? String, "not a whole record: \(line.prefix(200))")
                if record["record"] as? String == "request" {
                    requests[id, default: (0, 0)].students = record["students"] as? Int ?? -1
                } else {
                    requests[id, default: (0, 0)].lines += 1
                }
            }
            return requests
        }
        let logged = try requestsInLog()
        #expect(Set(logged.keys) == Set(answered))
        #expect(logged.values.allSatisfy { $0.students == 16 && $0.lines == 16 }, "\(logged)")
        if let id = withheld.requestID { #expect(logged[id] == nil) }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: audit.path)[.size] as? Int)
        #expect(size <= 40_000)

        // Room again: the next request is answered and recorded, without a restart.
        try Self.prlimit(server.process.processIdentifier, ["--fsize=unlimited:unlimited"])
        let again = try await Self.request(client, port: server.port, .POST, "/v1/evaluate", body: Support.exampleClass)
        #expect(again.status == 200)
        let recovered = try await Self.request(client, port: server.port, .GET, "/healthz")
        #expect(Self.json(recovered.body)["audit"] as? String == "ok")
        let after = try requestsInLog()
        #expect(after[again.requestID ?? ""]?.lines == 16)
        let metrics = try await Self.request(client, port: server.port, .GET, "/metrics")
        #expect(metrics.body.contains("trellis_audit_write_failures_total 1"), "\(metrics.body)")

        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        let log = server.standardError
        #expect(log.contains("cannot append to the audit log"), "\(log)")
        #expect(log.contains("audit log is writable again"), "\(log)")
    }

    @Test func anAuditLogEveryUserCanReadIsReportedAndKeptAsItIs() async throws {
        let audit = try Support.temporaryFolder().appending(path: "audit.ndjson")
        try "".write(to: audit, atomically: false, encoding: .utf8)
        chmod(audit.path, 0o644)
        let server = try ServeProcess(["--audit", audit.path])
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        #expect(server.standardError.contains("can be read by every user"))
        #expect((try FileManager.default.attributesOfItem(atPath: audit.path)[.posixPermissions] as? Int) == 0o644)
    }

    // MARK: Idle connections

    /// Opens `count` TCP connections to 127.0.0.1:`port` that send nothing, without waiting for
    /// the server to accept them.
    static func idleConnections(_ count: Int, port: Int) -> [Int32] {
        var sockets: [Int32] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { break }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            sockets.append(fd)
        }
        return sockets
    }

    /// How many of `sockets` the server has closed (a read gives end of file or a reset).
    static func closedByTheServer(_ sockets: [Int32]) -> Int {
        var byte: UInt8 = 0
        return sockets.filter { fd in
            let got = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
            return got == 0 || (got < 0 && (errno == ECONNRESET || errno == EPIPE))
        }.count
    }

    static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    @Test func idleConnectionsBeyondTheDescriptorLimitDoNotStopHealth() async throws {
        // 256 descriptors: without a cap, 400 idle connections would take every one, and the
        // server could accept no other connection (the issue: /healthz stopped answering).
        let server = try ServeProcess([], limits: ["--nofile=256:256"])
        let client = HTTPClient.shared
        let sockets = Self.idleConnections(400, port: server.port)
        defer { for fd in sockets { close(fd) } }
        try await Task.sleep(for: .seconds(1))
        let started = ContinuousClock.now
        let health = try await Self.request(client, port: server.port, .GET, "/healthz", timeout: .seconds(10))
        #expect(health.status == 200)
        #expect(ContinuousClock.now - started < .seconds(10))
        let evaluated = try await Self.request(client, port: server.port, .POST, "/v1/evaluate", body: try Support.studentRequest(), timeout: .seconds(30))
        #expect(evaluated.status == 200)
        #expect(Self.openDescriptors(server.process.processIdentifier) < 256)
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        let log = server.standardError
        #expect(log.contains("connections"), "the server says it lowered its connection cap: \(log)")
    }

    @Test func theServerHoldsNoMoreConnectionsThanItsCapAndHealthStaysReachable() async throws {
        let server = try ServeProcess(["--max-connections", "20"])
        let pid = server.process.processIdentifier
        let client = HTTPClient.shared
        // The client's own connection to the server, then the baseline.
        #expect(try await Self.request(client, port: server.port, .GET, "/healthz").status == 200)
        let baseline = Self.openDescriptors(pid)
        let sockets = Self.idleConnections(100, port: server.port)
        defer { for fd in sockets { close(fd) } }
        var most = 0
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline {
            most = max(most, Self.openDescriptors(pid))
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(most <= baseline + 20, "the server held \(most - baseline) descriptors more than before the idle connections")
        for _ in 0..<3 {
            let health = try await Self.request(client, port: server.port, .GET, "/healthz", timeout: .seconds(10))
            #expect(health.status == 200)
        }
        // It made room by closing the connections idle the longest.
        #expect(Self.closedByTheServer(sockets) >= 80)
        let metrics = try await Self.request(client, port: server.port, .GET, "/metrics")
        #expect(metrics.body.contains("trellis_http_connections_open"), "\(metrics.body)")
        #expect(metrics.body.contains("trellis_http_connections_closed_at_cap_total"), "\(metrics.body)")
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
    }
}
