import Foundation
import Testing
import Trellis

/// `trellis diff` and `WhatIf`: the changes of contract section 6 between two setups.
@Suite(.serialized)
struct WhatIfTests {
    /// Each skill's sessions, and what the bundled prompt-fading decides at 80% (the default) and at 90%:
    /// - s-1 hand-washing, gestural 90%, 85%, 90%: fade to verbal at 80; hold at 90 (85 < 90). A change.
    /// - s-1 lunch-line, verbal 90%, 100%, 90%: fade to independent under both. No change.
    /// - s-2 zipping, independent (the last level) 80%, 90%, 100%: mastered at 80; hold at 90. A change.
    /// - s-2 asking, model 40%, 30%: step back to partial_physical under both. No change.
    /// - s-3 greeting, gestural 90%, 90%: hold under both (2 of 3 sessions). No change.
    /// So: 2 changes, for 2 students (s-1, s-2); s-3 has none.
    static let classText = """
        {"trellis": 1, "as_of": "2026-11-20", "students": [
          {"id": "s-1", "skills": [
            {"id": "hand-washing", "sessions": [
              {"date": "2026-11-02", "prompt_level": "gestural", "trials": 10, "correct": 9},
              {"date": "2026-11-03", "prompt_level": "gestural", "trials": 20, "correct": 17},
              {"date": "2026-11-04", "prompt_level": "gestural", "trials": 10, "correct": 9}]},
            {"id": "lunch-line", "sessions": [
              {"date": "2026-11-02", "prompt_level": "verbal", "trials": 10, "correct": 9},
              {"date": "2026-11-03", "prompt_level": "verbal", "trials": 10, "correct": 10},
              {"date": "2026-11-04", "prompt_level": "verbal", "trials": 10, "correct": 9}]}]},
          {"id": "s-2", "skills": [
            {"id": "zipping", "sessions": [
              {"date": "2026-11-02", "prompt_level": "independent", "trials": 10, "correct": 8},
              {"date": "2026-11-03", "prompt_level": "independent", "trials": 10, "correct": 9},
              {"date": "2026-11-04", "prompt_level": "independent", "trials": 10, "correct": 10}]},
            {"id": "asking", "sessions": [
              {"date": "2026-11-03", "prompt_level": "model", "trials": 10, "correct": 4},
              {"date": "2026-11-04", "prompt_level": "model", "trials": 10, "correct": 3}]}]},
          {"id": "s-3", "skills": [
            {"id": "greeting", "sessions": [
              {"date": "2026-11-03", "prompt_level": "gestural", "trials": 10, "correct": 9},
              {"date": "2026-11-04", "prompt_level": "gestural", "trials": 10, "correct": 9}]}]}]}
        """

    let cli = CLITests()

    func write(_ text: String, named name: String, in folder: URL) throws -> String {
        let url = folder.appending(path: name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func changes(_ run: CLITests.Run) throws -> [[String: Any]] {
        try #require(try cli.json(run.stdout)["changes"] as? [[String: Any]])
    }

    /// The two changes of `classText`, fade_percent 80 on the `eighty` side.
    func expectFadePercentChanges(_ changes: [[String: Any]], eighty: String, ninety: String) throws {
        #expect(changes.count == 2)
        #expect(changes.map { "\($0["student"]!) \($0["skill"]!) \($0["kind"]!)" } == ["s-1 hand-washing prompt", "s-2 zipping prompt"])
        let fade = try #require(changes[0][eighty] as? [String: Any])
        #expect(fade["action"] as? String == "fade")
        #expect(fade["from"] as? String == "gestural")
        #expect(fade["to"] as? String == "verbal")
        #expect(fade["rule"] as? String == "prompt-fading")
        #expect((fade["reason"] as? String)?.isEmpty == false)
        #expect(Set(fade.keys) == ["action", "from", "to", "rule", "reason"])
        let hold = try #require(changes[0][ninety] as? [String: Any])
        #expect(hold["action"] as? String == "hold")
        #expect(hold["rule"] as? String == "prompt-fading")
        let mastered = try #require(changes[1][eighty] as? [String: Any])
        #expect(mastered["action"] as? String == "mastered")
        #expect(try #require(changes[1][ninety] as? [String: Any])["action"] as? String == "hold")
    }

    @Test func paramListsExactlyTheChangesOfAStricterFade() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try write(Self.classText, named: "class.json", in: folder)
        let run = try cli.trellis(["diff", "--format", "json", "--param", "prompt-fading.fade_percent=90", input])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try cli.json(run.stdout)
        #expect(Set(document.keys) == ["changes", "summary"])
        try expectFadePercentChanges(try changes(run), eighty: "before", ninety: "after")
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["students"] as? Int == 2)
        #expect(summary["changes"] as? Int == 2)
        for change in try changes(run) { #expect(Set(change.keys) == ["student", "skill", "kind", "before", "after"]) }

        // The same setup on both sides changes nothing.
        let same = try cli.trellis(["diff", "--format", "json", "--param", "prompt-fading.fade_percent=90", "--base-param", "prompt-fading.fade_percent=90", input])
        #expect(try changes(same).isEmpty)
        #expect(try cli.json(same.stdout)["summary"] as? [String: Int] == ["students": 0, "changes": 0])

        // The base setup stricter: the same changes, the other way round.
        let reversed = try cli.trellis(["diff", "--format", "json", "--base-param", "prompt-fading.fade_percent=90", input])
        try expectFadePercentChanges(try changes(reversed), eighty: "after", ninety: "before")
    }

    @Test func configurationFileGivesWhatTheParamGives() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try write(Self.classText, named: "class.json", in: folder)
        let config = try write("rules:\n  prompt-fading:\n    params:\n      fade_percent: 90\n", named: "school.yaml", in: folder)
        let byConfig = try cli.trellis(["diff", "--format", "json", "--config", config, input])
        let byParam = try cli.trellis(["diff", "--format", "json", "--param", "prompt-fading.fade_percent=90", input])
        #expect(byConfig.status == 0)
        #expect(byConfig.stdout == byParam.stdout)
        try expectFadePercentChanges(try changes(byConfig), eighty: "before", ninety: "after")
        // As the base: reversed.
        let asBase = try cli.trellis(["diff", "--format", "json", "--base-config", config, input])
        try expectFadePercentChanges(try changes(asBase), eighty: "after", ninety: "before")
    }

    @Test func twoRuleFolders() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try write(Self.classText, named: "class.json", in: folder)
        // Folder a: fade every skill. Folder b: hold hand-washing, at a higher priority, and offer s-3 a menu.
        _ = try write("""
            return { id = "always-fade", priority = 50, evaluate = function(student)
              local out = {}
              for _, skill in ipairs(student.skills) do
                out[#out + 1] = { skill = skill.id, kind = "prompt", action = "fade", from = "gestural", to = "verbal", reason = "always" }
              end
              return out
            end }
            """, named: "a/always-fade.lua", in: folder)
        _ = try write("""
            return { id = "hold-hands", priority = 70, evaluate = function(student)
              local out = {}
              for _, skill in ipairs(student.skills) do
                if skill.id == "hand-washing" then
                  out[#out + 1] = { skill = skill.id, kind = "prompt", action = "hold", from = "gestural", reason = "wash first" }
                end
              end
              if student.id == "s-3" then
                out[#out + 1] = { skill = "greeting", kind = "choices", action = "offer", reason = "menu",
                  options = { { id = "wave" }, { id = "say-hi" } } }
              end
              return out
            end }
            """, named: "b/hold-hands.lua", in: folder)
        let a = folder.appending(path: "a").path
        let b = folder.appending(path: "b").path
        let run = try cli.trellis(["diff", "--format", "json", "--base-rules", a, "--rules", a, "--rules", b, input])
        #expect(run.status == 0, "\(run.stderr)")
        let found = try changes(run)
        // hand-washing: fade (always-fade) becomes hold (hold-hands wins at 70); greeting's menu is new.
        #expect(found.count == 2)
        let hands = try #require(found.first)
        #expect(hands["student"] as? String == "s-1" && hands["skill"] as? String == "hand-washing")
        #expect((hands["before"] as? [String: Any])?["rule"] as? String == "always-fade")
        let after = try #require(hands["after"] as? [String: Any])
        #expect(after["rule"] as? String == "hold-hands" && after["action"] as? String == "hold")
        #expect(after["to"] is NSNull)
        let menu = try #require(found.last)
        #expect(menu["kind"] as? String == "choices" && menu["before"] is NSNull)
        #expect((menu["after"] as? [String: Any])?["options"] as? [String] == ["wave", "say-hi"])
        #expect(try cli.json(run.stdout)["summary"] as? [String: Int] == ["students": 2, "changes": 2])

        let csv = try cli.trellis(["diff", "--format", "csv", "--base-rules", a, "--rules", a, "--rules", b, input])
        let lines = csv.stdout.split(separator: "\n")
        try #require(lines.count == 3)
        #expect(lines[0] == "student,skill,kind,before_action,before_from,before_to,before_options,before_rule,before_reason,after_action,after_from,after_to,after_options,after_rule,after_reason")
        #expect(lines[2] == "s-3,greeting,choices,,,,,,,offer,,,wave;say-hi,hold-hands,menu")
        let table = try cli.trellis(["diff", "--format", "table", "--base-rules", a, "--rules", a, "--rules", b, input])
        #expect(table.stdout.contains("  before: fade gestural -> verbal (always-fade): always"))
        #expect(table.stdout.contains("  after:  hold gestural (hold-hands): wash first"))
        #expect(table.stdout.hasSuffix("2 changes for 2 students\n"))
    }

    @Test func unusableSetupsAreReportedAsEvaluateReportsThem() throws {
        let badParam = try cli.trellis(["diff", "--base-param", "fade_percent", CLITests.exampleClass])
        #expect(badParam.status == 64)
        #expect(badParam.stderr.contains("--base-param fade_percent: expected rule.name=value"))
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try write("rules:\n  prompt-fading:\n    params:\n      no_such: 1\n", named: "bad.yaml", in: folder)
        let badConfig = try cli.trellis(["diff", "--base-config", config, CLITests.exampleClass])
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr.contains("the configuration cannot be used"))
        #expect(badConfig.stderr.contains("bad.yaml"))
        let notJSON = try write("{ not json", named: "broken.json", in: folder)
        let badInput = try cli.trellis(["diff", "--param", "prompt-fading.fade_percent=90", notJSON])
        #expect(badInput.status == 2)
        #expect(badInput.stderr.contains("the input cannot be used"))
    }

    @Test func sameOutputForAnyNumberOfJobs() throws {
        let one = try cli.trellis(["diff", "--format", "json", "--jobs", "1", "--param", "prompt-fading.fade_percent=90", CLITests.exampleClass])
        let four = try cli.trellis(["diff", "--format", "json", "--jobs", "4", "--param", "prompt-fading.fade_percent=90", CLITests.exampleClass])
        #expect(one.status == 0)
        #expect(one.stdout == four.stdout)
    }

    @Test func aNewReasonAloneIsNoChangeButNewOptionsAre() {
        func menu(_ ids: [String], reason: String) -> Recommendation {
            Recommendation(skill: "fractions", kind: "choices", action: "offer", options: ids.map { MenuOption(id: $0) }, rule: "choice-menu", priority: 10, reason: reason)
        }
        func report(_ recommendations: [Recommendation]) -> EvaluationReport {
            EvaluationReport(asOf: "2026-11-20", outcomes: [.evaluated(StudentResult(student: "s-1", recommendations: recommendations))])
        }
        #expect(WhatIf.changes(before: report([menu(["a", "b"], reason: "one")]), after: report([menu(["a", "b"], reason: "two")])).isEmpty)
        let changed = WhatIf.changes(before: report([menu(["a", "b"], reason: "one")]), after: report([menu(["a", "c"], reason: "one")]))
        #expect(changed.count == 1 && changed.first?.kind == "choices")
        let gone = WhatIf.changes(before: report([menu(["a"], reason: "one")]), after: report([]))
        #expect(gone == [RecommendationChange(student: "s-1", skill: "fractions", kind: "choices", before: menu(["a"], reason: "one"), after: nil)])
    }
}
