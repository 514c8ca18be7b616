import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trellis

@testable import TrellisServer

/// `serve --history FILE`: each evaluate and report request recorded as a run of its own, with
/// its own body's digest and its own students' recommendations, however the requests interleave.
@Suite struct HistoryServeTests {
    /// The example class with every student id prefixed, so that no student is in both bodies.
    static func renamedClass(prefix: String) throws -> Data {
        var document = try #require(try JSONSerialization.jsonObject(with: Support.exampleClass) as? [String: Any])
        var students = try #require(document["students"] as? [[String: Any]])
        for index in students.indices { students[index]["id"] = prefix + (students[index]["id"] as? String ?? "") }
        document["students"] = students
        return try JSONSerialization.data(withJSONObject: document)
    }

    static func hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    @Test func concurrentRequestsAreEachRecordedWithTheirOwnData() async throws {
        let folder = try Support.temporaryFolder()
        let path = folder.appending(path: "serve.history").path
        let first = Support.exampleClass
        let second = try Self.renamedClass(prefix: "x-")
        let third = try Self.renamedClass(prefix: "y-")
        try await Support.server(workers: 2, history: path).makeApplication().test(.router) { client in
            async let one = client.execute(uri: "/v1/evaluate", method: .post, headers: Support.jsonHeaders, body: Support.body(first))
            async let two = client.execute(uri: "/v1/evaluate", method: .post, headers: Support.jsonHeaders, body: Support.body(second))
            let answers = try await [one, two]
            #expect(answers.allSatisfy { $0.status == .ok })
            let report = try await client.execute(uri: "/v1/report", method: .post, headers: Support.jsonHeaders, body: Support.body(third))
            #expect(report.status == .ok)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        let history = try RunHistory(path: path)
        let runs = try history.runs()
        try #require(runs.count == 3)
        #expect(runs.map(\.command).sorted() == ["serve evaluate", "serve evaluate", "serve report"])
        let packDigest = try Engine().rulePackSHA256
        for run in runs {
            #expect(run.rulePackSHA256 == packDigest)
            #expect(run.configurationSHA256 == nil)
            let students = Set(try history.recommendations(ofRun: run.id).compactMap(\.student))
            #expect(!students.isEmpty)
            switch run.inputSHA256 {
            case Self.hex(first): #expect(students.allSatisfy { !$0.hasPrefix("x-") && !$0.hasPrefix("y-") }, "\(students)")
            case Self.hex(second): #expect(students.allSatisfy { $0.hasPrefix("x-") }, "\(students)")
            case Self.hex(third):
                #expect(run.command == "serve report")
                #expect(students.allSatisfy { $0.hasPrefix("y-") }, "\(students)")
            default: Issue.record("run \(run.id) has the digest of no body sent: \(run.inputSHA256)")
            }
        }
        #expect(Set(runs.map(\.inputSHA256)).count == 3)
    }

    @Test func aHistoryThatIsNotOneStopsTheServerFromStarting() throws {
        let folder = try Support.temporaryFolder()
        let path = folder.appending(path: "notes.txt").path
        try String(repeating: "not a database\n", count: 100).write(toFile: path, atomically: true, encoding: .utf8)
        let refusal = #expect(throws: ServerSetupError.self) { try Support.server(history: path) }
        #expect(refusal.map { $0.description.contains(path) && $0.description.contains("not a Trellis history") } == true, "\(String(describing: refusal))")
    }
}
