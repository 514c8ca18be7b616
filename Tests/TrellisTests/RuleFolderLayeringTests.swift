import Foundation
import Testing
@testable import Trellis

/// `--rules DIR` adds a folder's rules to the bundled pack; a rule with a bundled rule's id
/// takes its place and the run says so; `--no-bundled` runs the folders alone.
@Suite(.serialized)
struct RuleFolderLayeringTests {
    let cli = CLITests()

    /// A rule that holds every skill it sees, under its own id or a bundled rule's (two of them
    /// make recommendations of different kinds, so that neither overrides the other).
    static func holdingRule(id: String, kind: String = "prompt") -> String {
        """
        return {
          id = "\(id)", priority = 90,
          evaluate = function(student, ctx)
            local out = {}
            for _, skill in ipairs(student.skills) do
              out[#out + 1] = { skill = skill.id, kind = "\(kind)", action = "hold", reason = "held by the school's \(id)" }
            end
            return out
          end,
        }
        """
    }

    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "trellis-layering-\(UUID().uuidString)")
        for (name, text) in files {
            let file = url.appending(path: name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return url
    }

    @Test func aFolderAddsToTheBundledPackAndReplacesARuleOfTheSameID() throws {
        let rules = try folder(["school-hold.lua": Self.holdingRule(id: "school-hold", kind: "note"), "fading.lua": Self.holdingRule(id: "prompt-fading")])
        defer { try? FileManager.default.removeItem(at: rules) }
        let pack = try RulePack(directories: [rules.path], includingBundled: true)
        let bundledCount = RulePack.bundled.sources.count
        #expect(pack.sources.count == bundledCount + 1, "one rule added, one replaced")
        #expect(!pack.sources.contains { $0.path == "rules/prompt-fading.lua" })
        #expect(pack.replacements == [RuleReplacement(id: "prompt-fading", bundledPath: "rules/prompt-fading.lua", path: rules.path + "/fading.lua")])
        let engine = try Engine(rulePack: pack)
        #expect(engine.rules.filter { $0.id == "prompt-fading" }.map(\.path) == [rules.path + "/fading.lua"])
        #expect(engine.replacedRules == pack.replacements)

        let alone = try RulePack(directories: [rules.path], includingBundled: false)
        #expect(alone.sources.map(\.path) == [rules.path + "/fading.lua", rules.path + "/school-hold.lua"])
        #expect(alone.replacements.isEmpty)
    }

    @Test func aCopyOfABundledRuleReplacesItWithoutANote() throws {
        let bundled = try #require(RulePack.bundled.sources.first { $0.path == "rules/prompt-fading.lua" })
        let rules = try folder(["prompt-fading.lua": bundled.source])
        defer { try? FileManager.default.removeItem(at: rules) }
        let pack = try RulePack(directories: [rules.path], includingBundled: true)
        #expect(pack.sources.count == RulePack.bundled.sources.count)
        #expect(pack.replacements.isEmpty)
    }

    @Test func aConfigurationTurningOffAReplacedRuleTurnsOffTheFoldersRule() throws {
        let rules = try folder(["fading.lua": Self.holdingRule(id: "prompt-fading"), "school.yaml": "rules:\n  prompt-fading:\n    enabled: false\n"])
        defer { try? FileManager.default.removeItem(at: rules) }
        let pack = try RulePack(directories: [rules.path], includingBundled: true)
        let engine = try Engine(rulePack: pack, configuration: try Configuration(contentsOf: rules.appending(path: "school.yaml").path))
        #expect(!engine.rules.contains { $0.id == "prompt-fading" }, "neither the folder's nor the bundled one")
        #expect(engine.replacedRules == pack.replacements)
    }

    @Test func evaluateRunsTheBundledRulesBesideTheFolderAndSaysWhatItReplaced() throws {
        let rules = try folder(["school-hold.lua": Self.holdingRule(id: "school-hold", kind: "note"), "fading.lua": Self.holdingRule(id: "prompt-fading")])
        defer { try? FileManager.default.removeItem(at: rules) }
        let run = try cli.trellis(["evaluate", "--format", "json", "--rules", rules.path, CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("trellis: note: \(rules.path)/fading.lua replaces the bundled rule prompt-fading (rules/prompt-fading.lua)\n"), "\(run.stderr)")
        let document = try cli.json(run.stdout)
        let replaced = try #require(document["replaced_rules"] as? [[String: String]])
        #expect(replaced == [["id": "prompt-fading", "bundled_path": "rules/prompt-fading.lua", "path": rules.path + "/fading.lua"]])
        let results = try #require(document["results"] as? [[String: Any]])
        let ruleIDs = Set(results.flatMap { ($0["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } })
        #expect(ruleIDs.contains("school-hold"))
        #expect(ruleIDs.contains("scaffold-stage"), "a bundled rule still runs: \(ruleIDs)")
        let fading = results.flatMap { ($0["recommendations"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "prompt-fading" } }
        #expect(!fading.isEmpty && fading.allSatisfy { $0["reason"] as? String == "held by the school's prompt-fading" })

        let alone = try cli.trellis(["evaluate", "--format", "json", "--no-bundled", "--rules", rules.path, CLITests.exampleClass])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(!alone.stderr.contains("replaces the bundled rule"))
        let aloneDocument = try cli.json(alone.stdout)
        #expect(aloneDocument["replaced_rules"] == nil)
        let aloneIDs = Set((aloneDocument["results"] as? [[String: Any]] ?? []).flatMap { ($0["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } })
        #expect(aloneIDs == ["school-hold", "prompt-fading"])

        let noFolder = try cli.trellis(["evaluate", "--no-bundled", CLITests.exampleClass])
        #expect(noFolder.status == 64)
        #expect(noFolder.stderr.contains("--no-bundled runs only the --rules folders: give at least one"), "\(noFolder.stderr)")
    }

    @Test func checkWithAConfigurationWorksInAFolderWithoutRules() throws {
        let root = try folder(["school.yaml": "rules:\n  prompt-fading:\n    params:\n      fade_percent: 90\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try cli.trellis(["check", "--config", "school.yaml"], in: root)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("rules are fine: badge, "), "\(run.stdout)")
        try "rules:\n  prompt-fading:\n    params:\n      fade_percent: 190\n".write(to: root.appending(path: "school.yaml"), atomically: true, encoding: .utf8)
        let bad = try cli.trellis(["check", "--config", "school.yaml"], in: root)
        #expect(bad.status == 2)
        #expect(bad.stdout.contains("school.yaml:4:") && bad.stdout.contains("rules.prompt-fading.params.fade_percent: "), "\(bad.stdout)")
    }

    @Test func checkNamesTheFoldersRulesBesideTheBundledOnes() throws {
        let rules = try folder(["school-hold.lua": Self.holdingRule(id: "school-hold", kind: "note")])
        defer { try? FileManager.default.removeItem(at: rules) }
        let run = try cli.trellis(["check", rules.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "1 rule is fine: school-hold (beside \(RulePack.bundled.sources.count) bundled rules)\n")
        let alone = try cli.trellis(["check", "--no-bundled", rules.path])
        #expect(alone.stdout == "1 rule is fine: school-hold\n")
    }

    @Test func aTestOfARuleThatReadsResultsFindsTheBundledRulesItFollows() throws {
        let follower = """
            return {
              id = "follows-fading", reads_results = true,
              evaluate = function(student, ctx, results)
                local out = {}
                for _, result in ipairs(results) do
                  if result.rule == "prompt-fading" and result.action == "step_back" then
                    out[#out + 1] = { skill = result.skill, kind = "note", action = "call_home", reason = "stepped back" }
                  end
                end
                return out
              end,
            }
            """
        let test = """
            cases:
              - name: calls home when prompt fading steps back
                rule: [prompt-fading, follows-fading]
                document:
                  trellis: 1
                  as_of: "2026-11-20"
                  students:
                    - id: s1
                      skills:
                        - id: hand-washing
                          sessions:
                            - { date: "2026-11-17", prompt_level: gestural, trials: 10, correct: 3 }
                            - { date: "2026-11-18", prompt_level: gestural, trials: 10, correct: 4 }
                expect:
                  - { student: s1, skill: hand-washing, kind: note, action: call_home, rule: follows-fading }
            """
        let rules = try folder(["follows-fading.lua": follower, "tests/follows-fading.yaml": test])
        defer { try? FileManager.default.removeItem(at: rules) }
        let run = try cli.trellis(["test", "--coverage", rules.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasSuffix("1 passed, 0 failed\n"), "\(run.stdout)")
        // Coverage is the folder's: the bundled files beside it are not what is tested.
        #expect(run.stdout.contains("follows-fading.lua  100.0%"), "\(run.stdout)")
        #expect(!run.stdout.contains("rules/prompt-fading.lua"), "\(run.stdout)")
        let alone = try cli.trellis(["test", "--no-bundled", rules.path])
        #expect(alone.status == 1)
        #expect(alone.stdout.contains("no rule file prompt-fading.lua in the pack"), "\(alone.stdout)")
    }
}
