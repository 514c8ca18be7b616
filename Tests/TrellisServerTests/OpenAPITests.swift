import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trellis

@testable import TrellisServer

/// The server's real answers against openapi.yaml: every documented operation and status is
/// provoked, and each answer's status, content type, documented headers and body (against its
/// schema, recursively) must be what the file says.
@Suite struct OpenAPITests: Sendable {
    let spec: OpenAPIDocument

    init() throws {
        spec = try OpenAPIDocument(path: Support.packageRoot.appending(path: "openapi.yaml"))
    }

    /// Checks one answer against the file and returns "METHOD path status" for the coverage count.
    func check(_ response: TestResponse, _ method: String, _ path: String) throws -> String {
        let documented = try spec.response(path: path, method: method, status: Int(response.status.code))
        let content = try #require(documented["content"] as? [String: Any], "\(method) \(path) \(response.status.code) documents no content")
        let contentType = try #require(response.headers[.contentType])
        let mediaType = String(contentType.split(separator: ";")[0])
        let media = try #require(content[mediaType] as? [String: Any], "\(method) \(path) \(response.status.code): \(mediaType) is not documented")
        let schema = try #require(media["schema"] as? [String: Any])
        for (name, _) in documented["headers"] as? [String: Any] ?? [:] {
            #expect(response.headers[HTTPField.Name(name)!] != nil, "\(method) \(path) \(response.status.code): header \(name) is missing")
        }
        let text = String(buffer: response.body)
        if mediaType == "application/json" {
            let value = try #require(JSONValue(parsing: text), "\(method) \(path): not JSON: \(text.prefix(200))")
            let problems = try spec.problems(value, schema: schema)
            #expect(problems.isEmpty, "\(method) \(path) \(response.status.code):\n\(problems.prefix(10).joined(separator: "\n"))")
        } else {
            #expect(!text.isEmpty)
        }
        return "\(method) \(path) \(response.status.code)"
    }

    @Test func everyDocumentedAnswerIsGivenAndMatchesItsSchema() async throws {
        var seen: Set<String> = []
        let classBody = Support.body(Support.exampleClass)
        let studentBody = Support.body(try Support.studentRequest("s-104"))
        let json = Support.jsonHeaders

        // The open server: the successful answers and the bad requests.
        let open = try Support.server()
        seen.formUnion(try await open.makeApplication().test(.router) { client in
            var seen: [String] = []
            seen.append(try check(try await client.execute(uri: "/healthz", method: .get), "GET", "/healthz"))
            seen.append(try check(try await client.execute(uri: "/metrics", method: .get), "GET", "/metrics"))
            seen.append(try check(try await client.execute(uri: "/v1/rules", method: .get), "GET", "/v1/rules"))
            for body in [classBody, studentBody] {
                let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: body)
                #expect(response.status == .ok)
                seen.append(try check(response, "POST", "/v1/evaluate"))
            }
            for body in [classBody, studentBody] {
                let response = try await client.execute(uri: "/v1/report", method: .post, headers: json, body: body)
                #expect(response.status == .ok)
                seen.append(try check(response, "POST", "/v1/report"))
            }
            seen.append(try check(try await client.execute(uri: "/v1/explain?student=s-104", method: .post, headers: json, body: classBody), "POST", "/v1/explain"))
            seen.append(try check(try await client.execute(uri: "/v1/explain", method: .post, headers: json, body: studentBody), "POST", "/v1/explain"))
            seen.append(try check(try await client.execute(uri: "/v1/explain?student=s-999", method: .post, headers: json, body: classBody), "POST", "/v1/explain"))
            for uri in ["/v1/evaluate", "/v1/explain", "/v1/report"] {
                seen.append(try check(try await client.execute(uri: uri, method: .post, headers: json, body: Support.body("{\"students\": [")), "POST", uri))
                seen.append(try check(try await client.execute(uri: uri, method: .post, headers: [.contentType: "text/csv"], body: classBody), "POST", uri))
            }
            seen.append(try check(try await client.execute(uri: "/v1/reload", method: .post), "POST", "/v1/reload"))
            // A who or why longer than the audit log records: 431.
            var long = json
            long[HTTPField.Name("X-Trellis-Purpose")!] = String(repeating: "p", count: 2_000)
            for uri in ["/v1/evaluate", "/v1/explain"] {
                seen.append(try check(try await client.execute(uri: uri, method: .post, headers: long, body: classBody), "POST", uri))
            }
            return seen
        })

        // A server with a token: every endpoint but /healthz refuses a request without it.
        let guarded = try Support.server(tokens: try AccessTokens(token: Support.token))
        seen.formUnion(try await guarded.makeApplication().test(.router) { client in
            var seen: [String] = []
            for (method, path) in [("GET", "/metrics"), ("GET", "/v1/rules"), ("POST", "/v1/evaluate"), ("POST", "/v1/explain"), ("POST", "/v1/report"), ("POST", "/v1/reload")] {
                let response = try await client.execute(uri: path, method: HTTPRequest.Method(method)!, headers: json, body: classBody)
                #expect(response.status == .unauthorized)
                seen.append(try check(response, method, path))
            }
            return seen
        })

        // A small body limit: 413.
        let small = try Support.server(maxBodyBytes: 1024)
        seen.formUnion(try await small.makeApplication().test(.router) { client in
            try await ["/v1/evaluate", "/v1/explain", "/v1/report"].asyncMap { uri in
                let response = try await client.execute(uri: uri, method: .post, headers: json, body: classBody)
                #expect(response.status == .contentTooLarge)
                return try check(response, "POST", uri)
            }
        })

        // Slow rules and a short timeout: 503.
        let slowRules = try Support.temporaryFolder()
        try Support.slowRule.write(to: slowRules.appending(path: "slow.lua"), atomically: true, encoding: .utf8)
        let slow = try Support.server(source: RulePackSource(directories: [slowRules.path]), timeout: .milliseconds(20), workers: 1)
        seen.formUnion(try await slow.makeApplication().test(.router) { client in
            try await ["/v1/evaluate", "/v1/explain?student=s-101", "/v1/report"].asyncMap { uri in
                let response = try await client.execute(uri: uri, method: .post, headers: json, body: classBody)
                #expect(response.status == .serviceUnavailable)
                return try check(response, "POST", String(uri.prefix { $0 != "?" }))
            }
        })

        // A rule folder broken after the start: 422 on reload.
        let rules = try Support.copyOfBundledRules()
        let reloading = try Support.server(source: RulePackSource(directories: [rules.path]))
        try "return {".write(to: rules.appending(path: "broken.lua"), atomically: true, encoding: .utf8)
        seen.formUnion(try await reloading.makeApplication().test(.router) { client in
            [try check(try await client.execute(uri: "/v1/reload", method: .post), "POST", "/v1/reload")]
        })

        let missing = spec.operations.subtracting(seen)
        #expect(missing.isEmpty, "documented but never provoked: \(missing.sorted())")
    }

    @Test func theValidatorRejectsAnswersThatBreakTheSchema() throws {
        // The check above is only as good as the validator: it must see a missing member, a
        // wrong type, an extra member where none is allowed, and a value outside an enum.
        let schema = try #require(((spec.root["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Error"] as? [String: Any])
        let good = JSONValue.object(["status": .integer(400), "error": .string("invalid_input"), "message": .string("m"), "issues": .array([])])
        #expect(try spec.problems(good, schema: schema).isEmpty)
        guard case .object(var fields) = good else { return }
        fields["issues"] = nil
        #expect(try spec.problems(.object(fields), schema: schema).contains { $0.contains("issues") })
        fields["issues"] = .array([.object(["message": .integer(3), "kind": .string("x")])])
        #expect(try spec.problems(.object(fields), schema: schema).contains { $0.contains("$.issues[0].message") })
        fields["issues"] = .array([])
        fields["extra"] = .bool(true)
        #expect(try spec.problems(.object(fields), schema: schema).contains { $0.contains("extra") })
        fields["extra"] = nil
        fields["error"] = .string("nonsense")
        #expect(try spec.problems(.object(fields), schema: schema).contains { $0.contains("nonsense") })
    }

    /// The request schema describes the contract's documents, its practice extensions (section 5)
    /// included: the example class conforms, and a broken checklist, badge or lesson length does not.
    @Test func theExampleClassIsAClassDocumentAndBrokenExtensionsAreNot() throws {
        let schemas = try #require((spec.root["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let schema = try #require(schemas["ClassDocument"] as? [String: Any])
        let example = try #require(JSONValue(parsing: String(decoding: Support.exampleClass, as: UTF8.self)))
        #expect(try spec.problems(example, schema: schema) == [])
        let document = { (student: String, catalog: String) in
            try #require(JSONValue(parsing: #"{"catalog": [\#(catalog)], "students": [\#(student)]}"#))
        }
        let good = try document(
            #"{"id": "s", "flags": ["no_badges"], "skills": [{"id": "k", "badge": "gold"}, {"id": "j", "badge": null}], "work": [{"checklist": {"done": 0, "total": 1}}, {"checklist": null}]}"#,
            #"{"id": "m", "kind": "mini_lesson", "minutes": 7.5}"#)
        #expect(try spec.problems(good, schema: schema) == [])
        for (student, catalog, problem) in [
            (#"{"id": "s", "skills": [{"id": "k", "badge": "platinum"}]}"#, #"{"id": "m"}"#, "$.students[0].skills[0].badge"),
            (#"{"id": "s", "work": [{"checklist": {"done": 2}}]}"#, #"{"id": "m"}"#, "$.students[0].work[0].checklist"),
            (#"{"id": "s", "work": [{"checklist": {"done": -1, "total": 3}}]}"#, #"{"id": "m"}"#, "$.students[0].work[0].checklist"),
            (#"{"id": "s", "work": [{"checklist": {"done": 1, "total": 0}}]}"#, #"{"id": "m"}"#, "$.students[0].work[0].checklist"),
            (#"{"id": "s"}"#, #"{"id": "m", "minutes": 0}"#, "$.catalog[0].minutes"),
            (#"{"id": "s"}"#, #"{"id": "m", "minutes": "ten"}"#, "$.catalog[0].minutes"),
        ] {
            let problems = try spec.problems(try document(student, catalog), schema: schema)
            #expect(problems.contains { $0.hasPrefix(problem) }, "\(student) \(catalog): \(problems)")
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
