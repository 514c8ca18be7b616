import Foundation
import Testing
import Trellis

/// `trellis replay` and `Replay`: the decisions of contract section 6 on a class written for it.
@Suite(.serialized)
struct ReplayTests {
    /// `examples/replay-term.json` (also the worked example of docs/time.md): each student's
    /// sessions have 10 trials. Days with a session: 11-02, 03, 04, 05, 06, 09, 10, 11, 12 (9). The bundled prompt-fading
    /// rule at its defaults (3 sessions >= 80% to fade, 2 < 50% to step back), counted by hand:
    ///
    /// - A wash (own prompt_level verbal, written on the 20th): gestural 90% x3 to 11-04, so as of
    ///   11-04 FADE gestural -> verbal. 11-05 verbal: FOLLOWED. The next 5 after it (06, 09, 10, 11,
    ///   12) are all verbal at 60% (no fade, no step back): HELD.
    /// - B coat: model 90, 100, 80% to 11-04: FADE model -> gestural. 11-05 gestural 40%: FOLLOWED;
    ///   11-06 gestural 30%: as of 11-06 STEP_BACK gestural -> model; the next sessions after 11-05
    ///   are 06 gestural, 09 model (more support than gestural): REGRESSED. 11-09 model: the step
    ///   back FOLLOWED. As of 11-09 and 11-10 a new run at model, under 3: hold.
    /// - C zip: verbal 90% x3 to 11-04: FADE verbal -> independent. 11-05 verbal: NOT FOLLOWED. As of
    ///   11-05 onwards the same fade to independent, no session at independent: the SAME decision.
    /// - D brush: partial_physical 90% 09, 10, 11: FADE to model on 11-11. 11-12 model: FOLLOWED, no
    ///   session after: OPEN.
    /// - E tie: independent (the last level) 90, 90, 100% 10-12: MASTERED on 11-12 (followed: not
    ///   counted). pour: full_physical 20%, 10% (the first level): hold, no decision. cut: model 30%,
    ///   20% on 11-11, 11-12: STEP_BACK to partial_physical on 11-12, no later session: UNKNOWN.
    /// - F hop: verbal 90% x3 to 11-04: FADE to independent. 11-05 independent 30%: FOLLOWED; 11-06
    ///   independent 20%: STEP_BACK to verbal on 11-06; next after 11-05: 06 independent, 09 verbal:
    ///   REGRESSED. 11-09 verbal: step back FOLLOWED. verbal 90% 09, 10, 11: FADE to independent
    ///   again on 11-11, a NEW decision (sessions at independent since 11-04); no later session: UNKNOWN.
    ///
    /// prompt-fading fade: 6 decisions (A, B, C, D, F, F), 4 followed (A, B, D, F), held 1 (A),
    /// regressed 2 (B, F), open 1 (D). step_back: 3 (B, E cut, F), 2 followed (B, F). mastered: 1.
    static let term = CLITests.packageRoot.appending(path: "examples/replay-term.json")

    struct Expected: Equatable, CustomStringConvertible {
        var day, student, skill, action: String
        var followed: Bool?
        var outcome: String?
        var description: String { "\(day) \(student) \(skill) \(action) \(String(describing: followed)) \(outcome ?? "nil")" }
    }

    static let expected = [
        Expected(day: "2026-11-04", student: "A", skill: "wash", action: "fade", followed: true, outcome: "held"),
        Expected(day: "2026-11-04", student: "B", skill: "coat", action: "fade", followed: true, outcome: "regressed"),
        Expected(day: "2026-11-04", student: "C", skill: "zip", action: "fade", followed: false, outcome: nil),
        Expected(day: "2026-11-04", student: "F", skill: "hop", action: "fade", followed: true, outcome: "regressed"),
        Expected(day: "2026-11-06", student: "B", skill: "coat", action: "step_back", followed: true, outcome: nil),
        Expected(day: "2026-11-06", student: "F", skill: "hop", action: "step_back", followed: true, outcome: nil),
        Expected(day: "2026-11-11", student: "D", skill: "brush", action: "fade", followed: true, outcome: "open"),
        Expected(day: "2026-11-11", student: "F", skill: "hop", action: "fade", followed: nil, outcome: nil),
        Expected(day: "2026-11-12", student: "E", skill: "tie", action: "mastered", followed: nil, outcome: nil),
        Expected(day: "2026-11-12", student: "E", skill: "cut", action: "step_back", followed: nil, outcome: nil),
    ]

    static func roster() throws -> Roster {
        try RosterReader.read(Array(try Data(contentsOf: term)), sourceName: term.path)
    }

    static func seen(_ replay: Replay) -> [Expected] {
        replay.decisions.map {
            Expected(day: $0.day, student: $0.student, skill: $0.skill, action: $0.action, followed: $0.followed, outcome: $0.outcome?.rawValue)
        }
    }

    @Test func decisionsFollowedAndOutcomesAsCountedByHand() throws {
        let replay = Replay.run(try Self.roster(), engine: try Engine(rulePack: .bundled))
        #expect(replay.days == ["02", "03", "04", "05", "06", "09", "10", "11", "12"].map { "2026-11-\($0)" })
        #expect(Self.seen(replay) == Self.expected)
        #expect(replay.issues.isEmpty)
        let wash = try #require(replay.decisions.first)
        #expect(wash.from == "gestural" && wash.to == "verbal" && wash.rule == "prompt-fading" && wash.kind == "prompt")
        let counts = try #require(replay.summary["prompt-fading"])
        #expect(counts["fade"] == ReplayCount(decisions: 6, followed: 4, held: 1, regressed: 2, open: 1))
        #expect(counts["step_back"] == ReplayCount(decisions: 3, followed: 2, held: 0, regressed: 0, open: 0))
        #expect(counts["mastered"] == ReplayCount(decisions: 1, followed: 0, held: 0, regressed: 0, open: 0))
        #expect(counts["fade"]?.regressionRate == 2.0 / 3.0)
    }

    @Test func followUpDecidesHowLongAFadeMustHold() throws {
        // One session after the first followed one: A's 11-06 verbal, B's 11-06 gestural and F's
        // 11-06 independent are none of them below the new level: all three held; D still open.
        let replay = Replay.run(try Self.roster(), engine: try Engine(rulePack: .bundled), followUp: 1)
        #expect(replay.summary["prompt-fading"]?["fade"] == ReplayCount(decisions: 6, followed: 4, held: 3, regressed: 0, open: 1))
    }

    @Test func fromAndToBoundTheDaysEvaluated() throws {
        let engine = try Engine(rulePack: .bundled)
        // From 11-05 A's fade is no longer recommended (A is at verbal) and B's is not either (at
        // gestural); C's fade first appears on 11-05, and 11-06 is still verbal: not followed.
        let late = Replay.run(try Self.roster(), engine: engine, from: SchoolDay("2026-11-05"))
        #expect(late.days.count == 6)
        #expect(Self.seen(late) == [Expected(day: "2026-11-05", student: "C", skill: "zip", action: "fade", followed: false, outcome: nil)]
            + Self.expected.filter { $0.day > "2026-11-04" })
        // To 11-06: the first six decisions' days; the sessions after still tell what became of them.
        let early = Replay.run(try Self.roster(), engine: engine, to: SchoolDay("2026-11-06"))
        #expect(early.days.count == 5)
        #expect(Self.seen(early) == Array(Self.expected.prefix(6)))
    }

    let cli = CLITests()

    @Test func commandWritesTheContractsShapeTheSameForAnyJobs() throws {
        let input = Self.term
        let run = try cli.trellis(["replay", "--format", "json", "--jobs", "1", input.path])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try cli.json(run.stdout)
        #expect(Set(document.keys) == ["days", "decisions", "summary"])
        #expect(document["days"] as? Int == 9)
        let decisions = try #require(document["decisions"] as? [[String: Any]])
        #expect(decisions.count == 10)
        #expect(Set(decisions[0].keys) == ["day", "student", "skill", "kind", "action", "from", "to", "rule", "followed", "outcome"])
        #expect(decisions[0]["followed"] as? Bool == true && decisions[0]["outcome"] as? String == "held")
        #expect(decisions[8]["followed"] is NSNull && decisions[8]["outcome"] is NSNull)
        let summary = try #require(document["summary"] as? [String: [String: [String: Int]]])
        #expect(summary["prompt-fading"]?["fade"] == ["decisions": 6, "followed": 4, "held": 1, "regressed": 2, "open": 1])
        #expect(summary["prompt-fading"]?["step_back"] == ["decisions": 3, "followed": 2, "held": 0, "regressed": 0, "open": 0])
        let parallel = try cli.trellis(["replay", "--format", "json", "--jobs", "4", input.path])
        #expect(parallel.stdout == run.stdout)

        let table = try cli.trellis(["replay", "--format", "table", "--follow-up", "5", input.path])
        #expect(table.stdout.hasPrefix("9 days (2026-11-02 to 2026-11-12), 10 decisions\n"))
        #expect(table.stdout.contains("\n  2026-11-04  A  wash  prompt  fade gestural -> verbal  prompt-fading  followed  held\n"))
        #expect(table.stdout.contains("\n  2026-11-12  E  tie  prompt  mastered independent  prompt-fading  -\n"))
        #expect(table.stdout.contains("\n  2026-11-12  E  cut  prompt  step_back model -> partial_physical  prompt-fading  unknown\n"))
        #expect(table.stdout.contains("prompt-fading fade: 6 decided, 4 followed, 1 held, 2 regressed, 1 open, regression rate 67%\n"))

        // Stricter fading, replayed: the same options as evaluate.
        let strict = try cli.trellis(["replay", "--format", "json", "--param", "prompt-fading.fade_percent=95", input.path])
        let strictFades = try #require(try cli.json(strict.stdout)["decisions"] as? [[String: Any]]).filter { $0["action"] as? String == "fade" }
        // At 95% only B's 100% session would pass; no skill has 3 such sessions in a row.
        #expect(strictFades.isEmpty)
    }

    @Test func badDaysAndFollowUpAreCommandLineErrors() throws {
        let badDay = try cli.trellis(["replay", "--from", "2026-11-31", CLITests.exampleClass])
        #expect(badDay.status == 64 && badDay.stderr.contains("--from 2026-11-31: expected a day as YYYY-MM-DD"))
        let backwards = try cli.trellis(["replay", "--from", "2026-11-10", "--to", "2026-11-01", CLITests.exampleClass])
        #expect(backwards.status == 64 && backwards.stderr.contains("--from 2026-11-10 is after --to 2026-11-01"))
        let noFollowUp = try cli.trellis(["replay", "--follow-up", "0", CLITests.exampleClass])
        #expect(noFollowUp.status == 64 && noFollowUp.stderr.contains("--follow-up must be at least 1"))
    }
}
