import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trellis

@testable import TrellisServer

/// Each endpoint's behaviour, in process through the router.
@Suite struct EndpointTests {
    let json = Support.jsonHeaders

    @Test func evaluatingAClassAnswersWhatTheCommandLineWrites() async throws {
        let expected = ReportFormat.json.render(try Engine().evaluate(try RosterReader.read(Array(Support.exampleClass), sourceName: "body")))
        try await Support.server().makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(Support.exampleClass))
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == expected)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[HTTPField.Name("X-Trellis-Rule-Pack")!]?.count == 64)
        }
    }

    @Test func evaluatingOneStudentRunsTheStudentRulesWithTheClassFields() async throws {
        let roster = try RosterReader.read(Array(Support.exampleClass), sourceName: "body")
        guard case .student(let student) = roster.entries.first(where: { if case .student(let s) = $0 { s.id == "s-110" } else { false } }) else {
            Issue.record("s-110 is not in the example class")
            return
        }
        let expected = try Engine().evaluate(student, context: roster.context)
        try await Support.server().makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(try Support.studentRequest("s-110")))
            #expect(response.status == .ok)
            let document = try Support.object(response)
            let results = try #require(document["results"] as? [[String: Any]])
            #expect(results.count == 1)
            #expect(results.first?["student"] as? String == "s-110")
            let actions = (results.first?["recommendations"] as? [[String: Any]])?.map { "\($0["skill"] ?? "-") \($0["kind"]!) \($0["action"]!)" }
            #expect(actions == expected.recommendations.map { "\($0.skill ?? "-") \($0.kind) \($0.action)" })
            #expect(!expected.recommendations.isEmpty)
            // Class-level rules run only for a class.
            #expect(document["class"] == nil)
        }
    }

    @Test func badJSONIsA400WithLineAndColumn() async throws {
        try await Support.server().makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body("{\n  \"students\": [\n    {\"id\": \"a\",}\n  ]\n}"))
            #expect(response.status == .badRequest)
            let body = try Support.object(response)
            #expect(body["error"] as? String == "invalid_input")
            let issue = try #require((body["issues"] as? [[String: Any]])?.first)
            #expect(issue["location"] as? String == "body:3:16")
        }
    }

    @Test func aBadStudentRecordIsA400WithTheFieldPath() async throws {
        let body = """
            {"as_of": "2026-11-20",
             "student": {"id": "s-9", "flags": ["iep", 7], "skills": [{"id": "zip", "sessions": [{"date": "2026-11-02", "trials": 10, "correct": 2}]}]}}
            """
        try await Support.server().makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(body))
            #expect(response.status == .badRequest)
            let answer = try Support.object(response)
            #expect(answer["error"] as? String == "invalid_student")
            let issue = try #require((answer["issues"] as? [[String: Any]])?.first)
            #expect(issue["path"] as? String == "student (s-9).flags[1]")
            #expect(issue["location"] as? String == "body:2:44")
            #expect(issue["student"] as? String == "s-9")
        }
    }

    @Test func aBadStudentInAClassIsSkippedAndListedAndTheOthersAreEvaluated() async throws {
        let body = """
            {"students": [{"id": "ok", "skills": []}, {"id": "bad", "flags": 3}]}
            """
        try await Support.server().makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(body))
            #expect(response.status == .ok)
            let answer = try Support.object(response)
            #expect((answer["results"] as? [[String: Any]])?.map { $0["student"] as? String } == ["ok"])
            let error = try #require((answer["errors"] as? [[String: Any]])?.first)
            #expect(error["path"] as? String == "students[1] (bad).flags")
        }
    }

    @Test func bothOrNeitherOfStudentsAndStudentIsA400() async throws {
        try await Support.server().makeApplication().test(.router) { client in
            for body in ["{\"as_of\": \"2026-11-20\"}", "{\"students\": [], \"student\": {\"id\": \"x\"}}", "[1]", ""] {
                let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(body))
                #expect(response.status == .badRequest, "\(body)")
                #expect(try Support.object(response)["error"] as? String == "invalid_input")
            }
        }
    }

    @Test func aFailingRuleIsInTheAnswerNotA500() async throws {
        let folder = try Support.temporaryFolder()
        try """
            return {
              id = "boom", api = 1,
              evaluate = function(student, ctx)
                error("no data for " .. student.id)
              end,
            }
            """.write(to: folder.appending(path: "boom.lua"), atomically: true, encoding: .utf8)
        let server = try Support.server(source: RulePackSource(directories: [folder.path]))
        try await server.makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(Support.exampleClass))
            #expect(response.status == .ok)
            let results = try #require(try Support.object(response)["results"] as? [[String: Any]])
            #expect(results.count == 16)
            let error = try #require((results.first?["errors"] as? [[String: Any]])?.first)
            #expect(error["rule"] as? String == "boom")
            #expect(error["kind"] as? String == "rule_error")
            #expect((error["location"] as? String)?.hasSuffix("boom.lua:4") == true)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("trellis_rule_errors_total{rule=\"boom\"} 16"))
        }
    }

    @Test func sizeAndContentTypeAreChecked() async throws {
        try await Support.server(maxBodyBytes: 100).makeApplication().test(.router) { client in
            let large = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(String(repeating: " ", count: 101) + "{}"))
            #expect(large.status == .contentTooLarge)
            #expect(try Support.object(large)["error"] as? String == "too_large")
            let fits = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body("{\"students\": []}"))
            #expect(fits.status == .ok)
            for headers: HTTPFields in [[.contentType: "text/plain"], [:], [.contentType: "application/x-www-form-urlencoded"]] {
                let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: headers, body: Support.body("{\"students\": []}"))
                #expect(response.status == .unsupportedMediaType)
                #expect(try Support.object(response)["error"] as? String == "unsupported_media_type")
            }
            let charset = try await client.execute(
                uri: "/v1/evaluate", method: .post, headers: [.contentType: "application/json; charset=utf-8"], body: Support.body("{\"students\": []}"))
            #expect(charset.status == .ok)
        }
    }

    @Test func unknownRoutesAndMethodsGetJSONErrors() async throws {
        try await Support.server().makeApplication().test(.router) { client in
            let unknown = try await client.execute(uri: "/v2/evaluate", method: .post, headers: json, body: Support.body("{}"))
            #expect(unknown.status == .notFound)
            #expect(try Support.object(unknown)["error"] as? String == "not_found")
            // Hummingbird's router answers a known path with an unknown method as it does an unknown path.
            let wrongMethod = try await client.execute(uri: "/v1/evaluate", method: .get)
            #expect(wrongMethod.status == .notFound)
            #expect(try Support.object(wrongMethod)["error"] as? String == "not_found")
        }
    }

    @Test func tokensAreRequiredEverywhereButHealthz() async throws {
        let folder = try Support.temporaryFolder()
        let file = folder.appending(path: "tokens")
        try "# name token\nops-dashboard \(Support.token)\nsis-sync sis-sync-token-abcdefghij\n".write(to: file, atomically: true, encoding: .utf8)
        let audit = folder.appending(path: "audit.ndjson")
        let server = try Support.server(tokens: try AccessTokens(file: file.path), audit: audit.path)
        try await server.makeApplication().test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let missing = try await client.execute(uri: "/v1/rules", method: .get)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = try await client.execute(uri: "/v1/rules", method: .get, headers: [.authorization: "Bearer \(Support.token)x"])
            #expect(wrong.status == .unauthorized)
            let basic = try await client.execute(uri: "/v1/rules", method: .get, headers: [.authorization: "Basic \(Support.token)"])
            #expect(basic.status == .unauthorized)
            let unknownRoute = try await client.execute(uri: "/v1/secret", method: .get)
            #expect(unknownRoute.status == .unauthorized)
            let right = try await client.execute(uri: "/v1/rules", method: .get, headers: [.authorization: "Bearer \(Support.token)"])
            #expect(right.status == .ok)
            var headers = Support.headers(token: "sis-sync-token-abcdefghij")
            headers[HTTPField.Name("X-Trellis-User")!] = "t-ortiz"
            let evaluated = try await client.execute(uri: "/v1/evaluate", method: .post, headers: headers, body: Support.body(try Support.studentRequest()))
            #expect(evaluated.status == .ok)
        }
        let line = try #require(try String(contentsOf: audit, encoding: .utf8).split(separator: "\n").first)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(record["identity"] as? String == "sis-sync")
        #expect(record["on_behalf_of"] as? String == "t-ortiz")
    }

    @Test func tokensThatAreTooShortOrMalformedAreRefused() throws {
        #expect(throws: ServerSetupError.self) { try AccessTokens(token: "short") }
        #expect(throws: ServerSetupError.self) { try AccessTokens(token: "has a space in it, sixteen+") }
        let tokens = try AccessTokens(token: Support.token)
        #expect(tokens.identity(forAuthorization: "Bearer \(Support.token)") == "token")
        #expect(tokens.identity(forAuthorization: "bearer \(Support.token)") == "token")
        #expect(tokens.identity(forAuthorization: "Bearer \(Support.token.dropLast())") == nil)
        #expect(tokens.identity(forAuthorization: nil) == nil)
    }

    @Test func rulesListsParametersWithDefaultsAndTheValuesInForce() async throws {
        let source = RulePackSource(parameters: ["prompt-fading": ["fade_percent": .integer(90)]])
        try await Support.server(source: source).makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/rules", method: .get)
            #expect(response.status == .ok)
            let rules = try #require(try Support.object(response)["rules"] as? [[String: Any]])
            #expect(rules.map { $0["id"] as? String ?? "" } == (try Engine()).rules.map(\.id))
            let fading = try #require(rules.first { $0["id"] as? String == "prompt-fading" })
            let percent = try #require((fading["params"] as? [[String: Any]])?.first { $0["name"] as? String == "fade_percent" })
            #expect(percent["default"] as? Int == 80)
            #expect(percent["value"] as? Int == 90)
        }
    }

    @Test func explainGivesEveryRulesOutcomeForOneStudent() async throws {
        // The bundled rules and one that overrules prompt fading, so that there is a conflict to explain.
        let rules = try Support.copyOfBundledRules()
        try """
            return {
              id = "hold-everything", api = 1, priority = 99,
              evaluate = function(student, ctx)
                local out = {}
                for _, skill in ipairs(student.skills) do
                  out[#out + 1] = { skill = skill.id, kind = "prompt", action = "hold", reason = "the team holds every prompt this week" }
                end
                return out
              end,
            }
            """.write(to: rules.appending(path: "hold-everything.lua"), atomically: true, encoding: .utf8)
        let source = RulePackSource(directories: [rules.path])
        let roster = try RosterReader.read(Array(Support.exampleClass), sourceName: "body")
        let expected = try #require(try Engine(rulePack: RulePack(directories: [rules.path])).explain(student: "s-101", in: roster))
        try await Support.server(source: source).makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/explain?student=s-101", method: .post, headers: json, body: Support.body(Support.exampleClass))
            #expect(response.status == .ok)
            let answer = try Support.object(response)
            #expect(answer["student"] as? String == "s-101")
            let rules = try #require(answer["rules"] as? [[String: Any]])
            #expect(rules.map { $0["id"] as? String ?? "" } == expected.rules.map(\.rule.id))
            let statuses = rules.flatMap { ($0["recommendations"] as? [[String: Any]] ?? []).map { $0["status"] as? String ?? "" } }
            #expect(statuses == expected.rules.flatMap { $0.recommendations.map { $0.won ? "won" : "overridden" } })
            #expect(statuses.contains("overridden"))
            let fading = try #require(rules.first { $0["id"] as? String == "prompt-fading" })
            let lost = try #require((fading["recommendations"] as? [[String: Any]])?.first { $0["status"] as? String == "overridden" })
            #expect(lost["why"] as? String == "priority 99 beats 50")

            let unnamed = try await client.execute(uri: "/v1/explain", method: .post, headers: json, body: Support.body(Support.exampleClass))
            #expect(unnamed.status == .badRequest)
            #expect(try Support.object(unnamed)["error"] as? String == "missing_student")
            let unknown = try await client.execute(uri: "/v1/explain?student=nobody", method: .post, headers: json, body: Support.body(Support.exampleClass))
            #expect(unknown.status == .notFound)
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        try await Support.server().makeApplication().test(.router) { client in
            for _ in 0..<3 {
                _ = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(try Support.studentRequest()))
            }
            _ = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body("nope"))
            _ = try await client.execute(uri: "/no/such/place", method: .get)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("trellis_http_requests_total{route=\"/v1/evaluate\",method=\"POST\",status=\"200\"} 3"))
            #expect(metrics.contains("trellis_http_requests_total{route=\"/v1/evaluate\",method=\"POST\",status=\"400\"} 1"))
            #expect(metrics.contains("trellis_http_requests_total{route=\"NotFound\",method=\"GET\",status=\"404\"} 1"))
            #expect(metrics.contains("trellis_students_evaluated_total 3"))
            #expect(metrics.contains("trellis_http_request_duration_seconds_count{route=\"/v1/evaluate\"} 4"))
            #expect(metrics.contains("trellis_rule_errors_total{rule=\"prompt-fading\"} 0"))
        }
    }

    @Test func anAuditLogThatCannotBeWrittenWithholdsTheAnswer() async throws {
        // /dev/full takes the open and refuses every write (ENOSPC).
        try await Support.server(audit: "/dev/full").makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/evaluate", method: .post, headers: json, body: Support.body(Support.exampleClass))
            #expect(response.status == .serviceUnavailable)
            let answer = try Support.object(response)
            #expect(answer["error"] as? String == "audit_unavailable")
            #expect(answer["results"] == nil)
        }
    }
}
