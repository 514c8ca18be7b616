import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import Trellis

#if canImport(Glibc)
import Glibc
#endif

/// `trellis serve` as a real process: the audit log after a SIGKILL, SIGHUP reloads, SIGTERM,
/// and the refusal to listen on a non-loopback address without a token.
@Suite(.serialized) struct ServeProcessTests {
    /// A running `trellis serve` on a free port of 127.0.0.1.
    final class ServeProcess: @unchecked Sendable {
        let process = Process()
        let port: Int
        private let errors = Pipe()

        /// The `trellis` binary that `swift build` put beside this test bundle.
        static var binary: URL {
            let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "trellis")
            if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
            return Support.packageRoot.appending(path: ".build/debug/trellis")
        }

        /// - Parameter limits: resource limits for the server, as `prlimit` options (`--fsize=65536:unlimited`).
        init(_ arguments: [String], limits: [String] = [], environment: [String: String] = [:]) throws {
            let output = Pipe()
            if limits.isEmpty {
                process.executableURL = Self.binary
                process.arguments = ["serve", "--port", "0"] + arguments
            } else {
                // prlimit sets the limits and then runs the server in its own process.
                process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
                process.arguments = limits + [Self.binary.path, "serve", "--port", "0"] + arguments
            }
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // The first line on standard output names the port.
            var text = ""
            let deadline = Date().addingTimeInterval(30)
            while !text.contains("\n"), Date() < deadline, process.isRunning {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            guard let range = text.range(of: "listening on http://127.0.0.1:"),
                let port = Int(text[range.upperBound...].prefix { $0.isNumber })
            else {
                process.terminate()
                throw SchemaError("trellis serve did not start: \(text) \(String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))")
            }
            self.port = port
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        func waitForExit() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }

        var standardError: String { String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    static func request(_ client: HTTPClient, port: Int, _ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: Array(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    static func packHash(_ client: HTTPClient, port: Int) async throws -> String {
        let health = try await request(client, port: port, .GET, "/healthz")
        return (try JSONSerialization.jsonObject(with: Data(health.body.utf8)) as? [String: Any])?["rule_pack_sha256"] as? String ?? ""
    }

    @Test func theAuditLogHoldsOnlyWholeLinesAfterTheServerIsKilled() async throws {
        let folder = try Support.temporaryFolder()
        let audit = folder.appending(path: "audit.ndjson")
        let server = try ServeProcess(["--audit", audit.path, "--workers", "2"])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let answered = Locked(0)
        // Requests keep coming until the server dies under them.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<50 {
                        guard let answer = try? await Self.request(client, port: server.port, .POST, "/v1/evaluate", body: Support.exampleClass),
                            answer.status == 200
                        else { return }
                        answered.withLock { $0 += 1 }
                    }
                }
            }
            group.addTask {
                while answered.withLock({ $0 }) < 6 { try? await Task.sleep(for: .milliseconds(5)) }
                server.signal(SIGKILL)
            }
        }
        #expect(server.waitForExit() == SIGKILL)
        try await client.shutdown()

        let data = try Data(contentsOf: audit)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasSuffix("\n"), "the log ends inside a line")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        // Every answer that reached a client was written to the log before it was sent: its
        // request's line and a line for each of its 16 students.
        let requestLines = lines.filter { $0.contains("\"record\":\"request\"") }
        let studentLines = lines.filter { $0.contains("\"record\":\"student\"") }
        #expect(requestLines.count + studentLines.count == lines.count)
        #expect(requestLines.count >= answered.withLock { $0 }, "\(requestLines.count) requests for \(answered.withLock { $0 }) answers")
        #expect(studentLines.count >= answered.withLock { $0 } * 16, "\(studentLines.count) lines for \(answered.withLock { $0 }) answers of 16 students")
        let required = [
            "request": ["time", "request_id", "endpoint", "identity", "on_behalf_of", "purpose", "rule_pack_sha256", "input_sha256", "students"],
            "student": ["time", "request_id", "student_sha256", "student", "recommendations", "errors"],
        ]
        var requestIDs: Set<String> = []
        for line in lines {
            let record = try #require(JSONValue(parsing: String(line)), "not a whole JSON line: \(line.prefix(120))")
            guard case .object(let fields) = record, case .string(let kind)? = fields["record"], let names = required[kind],
                case .string(let id)? = fields["request_id"]
            else {
                Issue.record("not a record: \(line.prefix(120))")
                continue
            }
            #expect(names.allSatisfy { fields[$0] != nil }, "missing fields in \(line.prefix(120))")
            // A student's line follows its request's line.
            if kind == "request" { requestIDs.insert(id) } else { #expect(requestIDs.contains(id), "\(line.prefix(120))") }
        }
        let expectedInput = SHA256Probe.hex(Support.exampleClass)
        #expect(requestLines.allSatisfy { $0.contains("\"input_sha256\":\"\(expectedInput)\"") })
    }

    @Test func aTornLastLineIsCutWhenTheLogIsOpenedAgain() async throws {
        let folder = try Support.temporaryFolder()
        let audit = folder.appending(path: "audit.ndjson")
        try "{\"student\":\"a\"}\n{\"student\":\"b\",\"recommen".write(to: audit, atomically: true, encoding: .utf8)
        let server = try ServeProcess(["--audit", audit.path])
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        #expect(try String(contentsOf: audit, encoding: .utf8) == "{\"student\":\"a\"}\n")
    }

    @Test func eachRequestIsOneAccessLogLineWithoutStudentData() async throws {
        let server = try ServeProcess([])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let evaluated = try await Self.request(client, port: server.port, .POST, "/v1/evaluate", body: try Support.studentRequest("s-101"))
        #expect(evaluated.status == 200)
        let missing = try await Self.request(client, port: server.port, .GET, "/v1/nothing?student=s-101")
        #expect(missing.status == 404)
        try await client.shutdown()
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        let lines = server.standardError.split(separator: "\n")
        let access = lines.filter { $0.contains(" ms") && ($0.contains("POST /v1/") || $0.contains("GET /v1/")) }
        #expect(access.count == 2, "\(lines)")
        #expect(access.first?.contains("info") == true && access.first?.contains("POST /v1/evaluate 200 ") == true, "\(access)")
        #expect(access.first?.hasSuffix(" ms 1 student") == true, "\(access)")
        #expect(access.last?.contains("GET /v1/nothing 404 ") == true && access.last?.hasSuffix(" ms") == true, "\(access)")
        #expect(!server.standardError.contains("s-101"), "no student id, not even from a query")

        let quiet = try ServeProcess(["--log-level", "notice"])
        let quietClient = HTTPClient(eventLoopGroupProvider: .singleton)
        _ = try await Self.request(quietClient, port: quiet.port, .GET, "/healthz")
        try await quietClient.shutdown()
        quiet.signal(SIGTERM)
        #expect(quiet.waitForExit() == 0)
        #expect(!quiet.standardError.contains("GET /healthz"), "\(quiet.standardError)")
    }

    @Test func sighupReloadsAndABrokenPackKeepsTheOldOneServing() async throws {
        let rules = try Support.copyOfBundledRules()
        let server = try ServeProcess(["--rules", rules.path])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let first = try await Self.packHash(client, port: server.port)

        try Support.markerRule.write(to: rules.appending(path: "marker.lua"), atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        var second = first
        for _ in 0..<200 where second == first {
            try await Task.sleep(for: .milliseconds(50))
            second = try await Self.packHash(client, port: server.port)
        }
        #expect(second != first, "SIGHUP did not reload")
        let evaluated = try await Self.request(client, port: server.port, .POST, "/v1/evaluate", body: try Support.studentRequest())
        #expect(evaluated.body.contains("\"kind\": \"marker\""))

        try "return {".write(to: rules.appending(path: "broken.lua"), atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        try await Task.sleep(for: .seconds(1))
        #expect(try await Self.packHash(client, port: server.port) == second)
        #expect(try await Self.request(client, port: server.port, .POST, "/v1/evaluate", body: try Support.studentRequest()).status == 200)

        try await client.shutdown()
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        let log = server.standardError
        #expect(log.contains("refused"), "\(log)")
        #expect(log.contains("broken.lua:1"), "\(log)")
    }

    @Test(arguments: [["--host", "0.0.0.0"], ["--host", "10.1.2.3"], ["--host", "::"], ["--host", "0.0.0.0", "--token", "short"]])
    func refusesANonLoopbackAddressWithoutAToken(arguments: [String]) throws {
        let process = Process()
        process.executableURL = ServeProcess.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TRELLIS_TOKEN"] = nil
        environment["TRELLIS_TOKEN_FILE"] = nil
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 64)
        #expect(message.contains(arguments.contains("--token") ? "at least 16 characters" : "refusing to listen"), "\(message)")
    }
}

/// SHA-256 as the tests compute it independently: `sha256sum`, not the server's own code.
enum SHA256Probe {
    static func hex(_ data: Data) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }
}
