import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trellis

@testable import TrellisServer

/// Reloading while requests run: none fails, each is answered wholly by one pack, and a broken
/// pack is refused while the old one keeps serving.
@Suite struct ReloadTests {
    @Test func reloadingUnderTrafficFailsNoRequestAndNeverMixesPacks() async throws {
        let rules = try Support.copyOfBundledRules()
        let marker = rules.appending(path: "marker.lua")
        let server = try Support.server(source: RulePackSource(directories: [rules.path]), workers: 2)
        let plainPack = server.store.current.sha256
        try await server.makeApplication().test(.ahc(.http)) { client in
            let outcome = try await withThrowingTaskGroup(of: [(status: Int, pack: String, marked: [Bool])].self) { group in
                // Three clients sending classes one after another...
                for _ in 0..<3 {
                    group.addTask {
                        var answers: [(status: Int, pack: String, marked: [Bool])] = []
                        for _ in 0..<8 {
                            let response = try await client.execute(
                                uri: "/v1/evaluate", method: .post, headers: Support.jsonHeaders, body: Support.body(Support.exampleClass))
                            let results = (try? Support.object(response)["results"] as? [[String: Any]]) ?? []
                            let marked = results.map { result in
                                (result["recommendations"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "marker" }
                            }
                            answers.append((Int(response.status.code), response.headers[HTTPField.Name("X-Trellis-Rule-Pack")!] ?? "", marked))
                        }
                        return answers
                    }
                }
                // ...while the pack gains and loses a rule, reloaded each time.
                group.addTask {
                    for round in 0..<6 {
                        if round.isMultiple(of: 2) {
                            try Support.markerRule.write(to: marker, atomically: true, encoding: .utf8)
                        } else {
                            try FileManager.default.removeItem(at: marker)
                        }
                        let reload = try await client.execute(uri: "/v1/reload", method: .post)
                        #expect(reload.status == .ok, "\(String(buffer: reload.body))")
                        try await Task.sleep(for: .milliseconds(150))
                    }
                    return []
                }
                var all: [(status: Int, pack: String, marked: [Bool])] = []
                for try await answers in group { all += answers }
                return all
            }
            #expect(outcome.count == 24)
            #expect(outcome.allSatisfy { $0.status == 200 }, "statuses: \(outcome.map(\.status))")
            // Every answer is all marked (the pack with the marker rule) or all unmarked (the plain pack).
            for answer in outcome {
                #expect(answer.marked.count == 16)
                #expect(answer.marked.allSatisfy { $0 == (answer.pack != plainPack) }, "pack \(answer.pack.prefix(12)) marked \(answer.marked)")
            }
            #expect(Set(outcome.map(\.pack)).count >= 2, "the traffic should have seen both packs")
        }
    }

    @Test func aBrokenPackIsRefusedWithFileAndLineAndTheOldOneKeepsServing() async throws {
        let rules = try Support.copyOfBundledRules()
        let configuration = rules.deletingLastPathComponent().appending(path: "school.yaml")
        try "rules:\n  prompt-fading:\n    params:\n      fade_percent: 90\n".write(to: configuration, atomically: true, encoding: .utf8)
        let server = try Support.server(source: RulePackSource(directories: [rules.path], configurationPath: configuration.path))
        let before = server.store.current.sha256
        try await server.makeApplication().test(.router) { client in
            // A syntax error in a rule file.
            try "return {\n  id = \"broken\",\n  evaluate = function(s, ctx)\n    return {\nend }\n".write(
                to: rules.appending(path: "broken.lua"), atomically: true, encoding: .utf8)
            let refused = try await client.execute(uri: "/v1/reload", method: .post)
            #expect(refused.status == .unprocessableContent)
            let answer = try Support.object(refused)
            #expect(answer["error"] as? String == "invalid_rule_pack")
            let issues = try #require(answer["issues"] as? [[String: Any]])
            #expect(issues.contains { ($0["location"] as? String)?.hasSuffix("broken.lua:5") == true }, "\(issues)")
            let evaluated = try await client.execute(uri: "/v1/evaluate", method: .post, headers: Support.jsonHeaders, body: Support.body(Support.exampleClass))
            #expect(evaluated.status == .ok)
            #expect(evaluated.headers[HTTPField.Name("X-Trellis-Rule-Pack")!] == before)

            // A configuration that names a parameter the rule does not have: refused, with the line.
            try FileManager.default.removeItem(at: rules.appending(path: "broken.lua"))
            try "rules:\n  prompt-fading:\n    params:\n      fade_pct: 90\n".write(to: configuration, atomically: true, encoding: .utf8)
            let badConfiguration = try await client.execute(uri: "/v1/reload", method: .post)
            #expect(badConfiguration.status == .unprocessableContent)
            let configurationIssue = try #require((try Support.object(badConfiguration)["issues"] as? [[String: Any]])?.first)
            #expect((configurationIssue["location"] as? String)?.hasPrefix(configuration.path + ":4") == true, "\(configurationIssue)")
            #expect(server.store.current.sha256 == before)

            // Fixed: the new pack serves, with the new value in force.
            try "rules:\n  prompt-fading:\n    params:\n      fade_percent: 95\n".write(to: configuration, atomically: true, encoding: .utf8)
            let accepted = try await client.execute(uri: "/v1/reload", method: .post)
            #expect(accepted.status == .ok)
            let after = try #require(try Support.object(accepted)["rule_pack_sha256"] as? String)
            #expect(after != before)
            let rulesAnswer = try Support.object(try await client.execute(uri: "/v1/rules", method: .get))
            let fading = try #require((rulesAnswer["rules"] as? [[String: Any]])?.first { $0["id"] as? String == "prompt-fading" })
            #expect((fading["params"] as? [[String: Any]])?.first { $0["name"] as? String == "fade_percent" }?["value"] as? Int == 95)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("trellis_reloads_total{result=\"refused\"} 2"))
            #expect(metrics.contains("trellis_reloads_total{result=\"ok\"} 1"))
        }
    }

    /// The configuration's problems reach the answer as fields (file:line:column, field path,
    /// message), not as one line cut apart again: a folder named `term: spring` made the whole line
    /// the message and lost the location when it was.
    @Test func aConfigurationProblemArrivesWithItsLocationAndFieldPath() async throws {
        let folder = try Support.temporaryFolder().appending(path: "term: spring")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = folder.appending(path: "school.yaml")
        try "rules:\n  prompt-fading:\n    params:\n      fade_percent: 90\n".write(to: configuration, atomically: true, encoding: .utf8)
        let server = try Support.server(source: RulePackSource(configurationPath: configuration.path))
        try await server.makeApplication().test(.router) { client in
            try "rules:\n  prompt-fading:\n    params:\n      fade_pct: 90\n".write(to: configuration, atomically: true, encoding: .utf8)
            let refused = try await client.execute(uri: "/v1/reload", method: .post)
            #expect(refused.status == .unprocessableContent)
            let issues = try #require(try Support.object(refused)["issues"] as? [[String: Any]])
            let issue = try #require(issues.first)
            #expect(issues.count == 1, "\(issues)")
            #expect(issue["location"] as? String == configuration.path + ":4:17", "\(issue)")
            #expect(issue["path"] as? String == "rules.prompt-fading.params.fade_pct", "\(issue)")
            #expect((issue["message"] as? String)?.hasPrefix("prompt-fading has no parameter fade_pct (it has ") == true, "\(issue)")
            #expect(issue["kind"] as? String == "invalid_configuration", "\(issue)")

            // A YAML syntax error: the line and column of the fault, in the location field.
            try "rules:\n  prompt-fading: [1, 2\n".write(to: configuration, atomically: true, encoding: .utf8)
            let unreadable = try await client.execute(uri: "/v1/reload", method: .post)
            #expect(unreadable.status == .unprocessableContent)
            let syntax = try #require((try Support.object(unreadable)["issues"] as? [[String: Any]])?.first)
            #expect((syntax["location"] as? String)?.hasPrefix(configuration.path + ":") == true, "\(syntax)")
            #expect((syntax["location"] as? String) != configuration.path, "the location should name the line: \(syntax)")
            #expect((syntax["message"] as? String)?.contains(configuration.path) == false, "\(syntax)")
        }
    }

    @Test func evaluationDoesNotHoldUpTheEventLoop() async throws {
        // One worker busy with slow rules for a whole class; /healthz must still answer at once.
        let folder = try Support.temporaryFolder()
        try Support.slowRule.write(to: folder.appending(path: "slow.lua"), atomically: true, encoding: .utf8)
        let server = try Support.server(source: RulePackSource(directories: [folder.path]), workers: 1)
        try await server.makeApplication().test(.ahc(.http)) { client in
            let finished = Locked<[String]>([])
            async let slow: Void = {
                _ = try await client.execute(uri: "/v1/evaluate", method: .post, headers: Support.jsonHeaders, body: Support.body(Support.exampleClass))
                finished.withLock { $0.append("evaluate") }
            }()
            while server.pool.load.running == 0 { try await Task.sleep(for: .milliseconds(2)) }
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            finished.withLock { $0.append("healthz") }
            try await slow
            #expect(finished.withLock { $0 } == ["healthz", "evaluate"])
        }
    }
}
