import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trellis

@testable import TrellisServer

/// One school's request must never see another's students: rules that try to remember the
/// students they saw (in a `trellis.constant`'s table keys, in a closure or a coroutine kept in
/// a constant, in a stashed student table) run on one server, one worker, for two requests in a
/// row, and nothing of the first request's students may appear in the second's answer, nor one
/// student's data in another student's result.
@Suite struct RequestIsolationTests {
    /// Each rule says in its reason what it remembers from before; a sealed sandbox gives it nothing.
    static let rememberingRules: [String: String] = [
        "stash-in-constant-key.lua": """
            local box = {}
            -- Under pcall, so that the rule still loads once the sandbox refuses such a constant.
            local made, C = pcall(trellis.constant, { [box] = true })
            if not made then C = trellis.constant({}) end
            return { id = "stash-in-constant-key", api = 1, evaluate = function(student)
              for k in pairs(C) do
                local ok, previous = pcall(function() return k.previous end)
                pcall(function() k.previous = ((ok and previous) and previous .. "," or "") .. student.id .. "=" .. tostring(student.name) end)
                return {{ kind = "probe", action = "x", reason = "remembered: " .. tostring(ok and previous) }}
              end
              return {{ kind = "probe", action = "x", reason = "remembered: nothing" }}
            end }
            """,
        "closure-in-constant.lua": """
            local seen = ""
            local made, C = pcall(trellis.constant, { remember = function(id)
              local before = seen
              seen = seen .. "," .. id
              return before
            end })
            if not made then C = trellis.constant({ remember = string.lower }) end
            return { id = "closure-in-constant", api = 1, evaluate = function(student)
              local ok, before = pcall(C.remember, student.id .. "=" .. tostring(student.name))
              return {{ kind = "probe", action = "x", reason = "remembered: " .. tostring(ok and before) }}
            end }
            """,
        "coroutine-in-constant.lua": """
            local made, C = pcall(trellis.constant, { remember = coroutine.wrap(function(first)
              local seen = first
              while true do
                local id = coroutine.yield(seen)
                seen = seen .. "," .. id
              end
            end) })
            if not made then C = trellis.constant({ remember = string.lower }) end
            return { id = "coroutine-in-constant", api = 1, evaluate = function(student)
              local ok, before = pcall(C.remember, student.id .. "=" .. tostring(student.name))
              return {{ kind = "probe", action = "x", reason = "remembered: " .. tostring(ok and before) }}
            end }
            """,
        "student-in-constant.lua": """
            local made, C = pcall(trellis.constant, { [{}] = true })
            if not made then C = trellis.constant({}) end
            return { id = "student-in-constant", api = 1, evaluate = function(student)
              local said = "nothing"
              for k in pairs(C) do
                local ok, previous = pcall(function()
                  local old = k.student
                  return old and (tostring(old.id) .. "=" .. tostring(old.name)) or nil
                end)
                if ok and previous then said = previous end
                pcall(function() k.student = student end)
              end
              return {{ kind = "probe", action = "x", reason = "remembered: " .. said }}
            end }
            """,
    ]

    static func classBody(_ students: [(id: String, name: String)]) throws -> Data {
        let records: [[String: Any]] = students.map { student in
            [
                "id": student.id, "name": student.name,
                "skills": [[
                    "id": "hand-washing", "domain": "adaptive", "prompt_level": "gestural",
                    "sessions": [["date": "2026-11-05", "prompt_level": "gestural", "trials": 10, "correct": 7]],
                ]],
            ]
        }
        return try JSONSerialization.data(withJSONObject: ["trellis": 1, "as_of": "2026-11-20", "students": records])
    }

    static let requestA = [(id: "alpha-101", name: "Ada Lovelace-Alpha"), (id: "alpha-102", name: "Grace Hopper-Alpha"), (id: "alpha-103", name: "Alan Turing-Alpha")]
    static let requestB = [(id: "beta-201", name: "Bo Beta"), (id: "beta-202", name: "Bea Beta"), (id: "beta-203", name: "Ben Beta")]

    @Test func noRequestSeesTheStudentsOfTheRequestBefore() async throws {
        let folder = try Support.temporaryFolder().appending(path: "rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in Self.rememberingRules { try text.write(to: folder.appending(path: name), atomically: true, encoding: .utf8) }
        // One worker, so that every request runs on the same Lua state and the same loaded rules.
        let server = try Support.server(source: RulePackSource(directories: [folder.path]), workers: 1)
        try await server.makeApplication().test(.router) { client in
            let first = try await client.execute(
                uri: "/v1/evaluate", method: .post, headers: Support.jsonHeaders, body: Support.body(try Self.classBody(Self.requestA)))
            #expect(first.status == .ok)
            // B twice: a leak may show only once a rule has been found reusable.
            for round in 1...2 {
                let second = try await client.execute(
                    uri: "/v1/evaluate", method: .post, headers: Support.jsonHeaders, body: Support.body(try Self.classBody(Self.requestB)))
                #expect(second.status == .ok)
                let text = String(buffer: second.body)
                for student in Self.requestA {
                    #expect(!text.contains(student.id), "round \(round): request B's answer names request A's student \(student.id):\n\(text)")
                    #expect(!text.contains(student.name), "round \(round): request B's answer holds request A's student \(student.name):\n\(text)")
                }
                try Self.expectEachResultKeepsToItsStudent(second, students: Self.requestB)
            }
            try Self.expectEachResultKeepsToItsStudent(first, students: Self.requestA)
        }
    }

    /// Within one answer, no student's result holds another student's id or name.
    static func expectEachResultKeepsToItsStudent(_ response: TestResponse, students: [(id: String, name: String)]) throws {
        let document = try Support.object(response)
        let results = try #require(document["results"] as? [[String: Any]])
        #expect(results.count == students.count)
        for result in results {
            let own = result["student"] as? String ?? ""
            let text = String(decoding: try JSONSerialization.data(withJSONObject: result), as: UTF8.self)
            for other in students where other.id != own {
                #expect(!text.contains(other.id) && !text.contains(other.name), "\(own)'s result holds \(other.id)'s data: \(text)")
            }
        }
    }
}
