import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trellis

@testable import TrellisServer

/// The audit log records each request's who and why once, and what it disclosed per student;
/// what a client sends cannot make it grow out of proportion to the request.
@Suite struct AuditLogTests {
    static let user = HTTPField.Name("X-Trellis-User")!
    static let purpose = HTTPField.Name("X-Trellis-Purpose")!

    /// `count` students with nothing but an id: the smallest records a body can hold.
    static func tinyClass(_ count: Int) -> String {
        "{\"as_of\":\"2026-11-20\",\"class\":{\"id\":\"3B\"},\"students\":[" + (0..<count).map { "{\"id\":\"s\($0)\"}" }.joined(separator: ",") + "]}"
    }

    static func lines(_ url: URL) throws -> [[String: Any]] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line.prefix(200))")
        }
    }

    @Test(arguments: [("X-Trellis-User", 256), ("X-Trellis-Purpose", 1024)])
    func aWhoOrWhyHeaderOverItsLimitIsRefusedByName(header: String, limit: Int) async throws {
        let audit = try Support.temporaryFolder().appending(path: "audit.ndjson")
        try await Support.server(audit: audit.path).makeApplication().test(.router) { client in
            var headers = Support.jsonHeaders
            headers[HTTPField.Name(header)!] = String(repeating: "w", count: 30_000)
            for endpoint in ["/v1/evaluate", "/v1/explain?student=s1"] {
                let response = try await client.execute(uri: endpoint, method: .post, headers: headers, body: Support.body(Self.tinyClass(5)))
                #expect(response.status.code == 431, "\(endpoint): \(String(buffer: response.body))")
                let answer = try Support.object(response)
                #expect(answer["error"] as? String == "header_too_large")
                let message = answer["message"] as? String ?? ""
                #expect(message.contains(header) && message.contains("\(limit)") && message.contains("30000"), "\(message)")
            }
            // At the limit it is taken.
            headers[HTTPField.Name(header)!] = String(repeating: "w", count: limit)
            let taken = try await client.execute(uri: "/v1/evaluate", method: .post, headers: headers, body: Support.body(Self.tinyClass(5)))
            #expect(taken.status == .ok)
        }
        // Only the request that was answered is in the log.
        #expect(try Self.lines(audit).count == 1 + 5)
    }

    @Test func whoAndWhyAreRecordedOnceAndEachStudentLineNamesItsRequest() async throws {
        let folder = try Support.temporaryFolder()
        let tokenFile = folder.appending(path: "tokens")
        try "sis-sync \(Support.token)\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let audit = folder.appending(path: "audit.ndjson")
        let server = try Support.server(tokens: try AccessTokens(file: tokenFile.path), audit: audit.path)
        let students = 2_000
        let body = Self.tinyClass(students)
        let who = "t-ortiz-" + String(repeating: "u", count: 240)
        let why = "IEP meeting prep " + String(repeating: "p", count: 1_000)
        let requestID = try await server.makeApplication().test(.router) { client in
            var headers = Support.headers(token: Support.token)
            headers[Self.user] = who
            headers[Self.purpose] = why
            let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: headers, body: Support.body(body))
            #expect(response.status == .ok)
            return try #require(response.headers[HTTPField.Name("X-Request-Id")!])
        }
        let records = try Self.lines(audit)
        #expect(records.count == 1 + students)
        let request = try #require(records.first)
        #expect(request["record"] as? String == "request")
        #expect(request["request_id"] as? String == requestID)
        #expect(request["identity"] as? String == "sis-sync")
        #expect(request["on_behalf_of"] as? String == who)
        #expect(request["purpose"] as? String == why)
        #expect(request["endpoint"] as? String == "/v1/evaluate")
        #expect(request["input_sha256"] as? String == SHA256Probe.hex(Data(body.utf8)))
        #expect((request["rule_pack_sha256"] as? String)?.count == 64)
        #expect(request["as_of"] as? String == "2026-11-20")
        #expect(request["class"] as? String == "3B")
        #expect(request["students"] as? Int == students)
        let studentLines = records.dropFirst()
        #expect(studentLines.allSatisfy { $0["record"] as? String == "student" && $0["request_id"] as? String == requestID })
        #expect(studentLines.map { $0["student"] as? String ?? "" } == (0..<students).map { "s\($0)" })
        #expect(studentLines.allSatisfy { $0["purpose"] == nil && $0["on_behalf_of"] == nil && ($0["student_sha256"] as? String)?.count == 64 })
        // The log grows with the students disclosed, not with the headers times the students: a
        // student line with no recommendation is a couple of hundred bytes.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: audit.path)[.size] as? Int)
        #expect(size < 2_000 + who.utf8.count + why.utf8.count + students * 250, "\(size) bytes of audit for \(students) students")
    }

    @Test func aStudentLineHoldsWhatWasDisclosedAndTheStudentsRecordHash() async throws {
        let audit = try Support.temporaryFolder().appending(path: "audit.ndjson")
        try await Support.server(audit: audit.path).makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/explain", method: .post, headers: Support.jsonHeaders, body: Support.body(try Support.studentRequest()))
            #expect(response.status == .ok)
        }
        let records = try Self.lines(audit)
        #expect(records.count == 2)
        #expect(records.first?["endpoint"] as? String == "/v1/explain")
        #expect(records.first?["on_behalf_of"] is NSNull)
        let student = try #require(records.last)
        #expect(student["student"] as? String == "s-101")
        #expect(student["errors"] as? Int == 0)
        let recommendations = try #require(student["recommendations"] as? [[String: Any]])
        #expect(!recommendations.isEmpty && recommendations.allSatisfy { $0["rule"] is String && $0["reason"] is String })
        #expect((student["time"] as? String)?.hasSuffix("Z") == true)
    }
}
