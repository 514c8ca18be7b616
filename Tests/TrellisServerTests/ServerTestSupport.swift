import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trellis

@testable import TrellisServer

/// What the server suites share: the repository's files, servers built in process, and
/// requests and answers as JSON.
enum Support {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let exampleClass = try! Data(contentsOf: packageRoot.appending(path: "examples/class-3b.json"))
    static let token = "test-token-0123456789abcdef"

    /// A server on the bundled rules (or `source`), with test-sized settings.
    static func server(
        source: RulePackSource = RulePackSource(), tokens: AccessTokens? = nil, maxBodyBytes: Int = 8 << 20,
        timeout: Duration = .seconds(30), workers: Int = 2, maxWaiting: Int = 64, audit: String? = nil, history: String? = nil
    ) throws -> TrellisServer {
        try TrellisServer(
            configuration: ServerConfiguration(
                host: "127.0.0.1", port: 0, tokens: tokens, maxBodyBytes: maxBodyBytes, requestTimeout: timeout, workers: workers,
                maxWaiting: maxWaiting, auditPath: audit, historyPath: history),
            source: source)
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A copy of the bundled rules in a folder of its own, to change and reload.
    static func copyOfBundledRules() throws -> URL {
        let folder = try temporaryFolder().appending(path: "rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for source in RulePack.bundled.sources {
            let name = URL(fileURLWithPath: source.path).lastPathComponent
            try source.source.write(to: folder.appending(path: name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// A rule that spends time (a few million Lua instructions) for every student.
    static let slowRule = """
        return {
          id = "slow", api = 1,
          evaluate = function(student, ctx)
            local n = 0
            for i = 1, 3000000 do n = n + i end
            return {}
          end,
        }
        """

    /// A rule that marks every student, so that an answer shows which pack produced it.
    static let markerRule = """
        return {
          id = "marker", api = 1,
          evaluate = function(student, ctx)
            return { { kind = "marker", action = "note", reason = "evaluated by the marked pack" } }
          end,
        }
        """

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    static func headers(token: String? = nil, json: Bool = true) -> HTTPFields {
        var fields: HTTPFields = json ? jsonHeaders : [:]
        if let token { fields[.authorization] = "Bearer \(token)" }
        return fields
    }

    static func body(_ data: Data) -> ByteBuffer { ByteBuffer(bytes: Array(data)) }
    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any], "\(String(buffer: response.body))")
    }

    /// One student with the class-level fields of the example class.
    static func studentRequest(_ studentID: String = "s-101") throws -> Data {
        var document = try #require(try JSONSerialization.jsonObject(with: exampleClass) as? [String: Any])
        let students = try #require(document.removeValue(forKey: "students") as? [[String: Any]])
        document["student"] = try #require(students.first { $0["id"] as? String == studentID })
        return try JSONSerialization.data(withJSONObject: document)
    }
}
