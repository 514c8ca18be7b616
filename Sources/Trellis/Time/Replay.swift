/// What became of a followed fade or advance (contract section 6).
package enum ReplayOutcome: String, Sendable, Hashable {
    /// The next sessions after the first followed one (as many as the follow-up asks) were all
    /// at the new level or one with less support.
    case held
    /// One of them was at a level with more support than the new one.
    case regressed
    /// Too few sessions yet to tell.
    case open
}

/// A decision of the rules found by ``Replay``: a winning `prompt` or `scaffold` recommendation
/// to fade, advance, step back or call mastered, on the first day it appeared.
package struct ReplayDecision: Sendable, Hashable {
    /// The day it first appeared, `YYYY-MM-DD`.
    package var day: String
    package var student: String
    package var skill: String
    /// `prompt` or `scaffold`.
    package var kind: String
    /// `fade`, `advance`, `step_back` or `mastered`.
    package var action: String
    package var from: String?
    package var to: String?
    package var rule: String
    /// Whether the first later session of the skill was at `to`; `nil` with no later session,
    /// and for `mastered`.
    package var followed: Bool?
    /// For a followed fade or advance, what became of it; otherwise `nil`.
    package var outcome: ReplayOutcome?
}

/// A rule's decisions of one action, counted.
package struct ReplayCount: Sendable, Hashable {
    package var decisions = 0
    package var followed = 0
    package var held = 0
    package var regressed = 0
    package var open = 0

    /// Counts as given; all zero by default.
    ///
    /// - Parameters:
    ///   - decisions: decisions of the rule and action.
    ///   - followed: those followed.
    ///   - held: followed fades or advances that held.
    ///   - regressed: followed fades or advances that regressed.
    ///   - open: followed fades or advances not yet decided.
    package init(decisions: Int = 0, followed: Int = 0, held: Int = 0, regressed: Int = 0, open: Int = 0) {
        self.decisions = decisions
        self.followed = followed
        self.held = held
        self.regressed = regressed
        self.open = open
    }

    /// regressed / (held + regressed); `nil` while neither has happened.
    package var regressionRate: Double? {
        held + regressed == 0 ? nil : Double(regressed) / Double(held + regressed)
    }
}

/// A term replayed: the class evaluated as of each day with a session (contract section 6).
package struct Replay: Sendable, Hashable {
    /// The days evaluated, oldest first.
    package var days: [String]
    /// The decisions, by day, then student in input order, then in the order the rules gave them.
    package var decisions: [ReplayDecision]
    /// Issues of the evaluations (bad student records, failed rules), each once, first seen first.
    package var issues: [TrellisIssue]

    /// The decisions counted by rule and then action.
    package var summary: [String: [String: ReplayCount]] {
        var counts: [String: [String: ReplayCount]] = [:]
        for decision in decisions {
            var count = counts[decision.rule, default: [:]][decision.action, default: ReplayCount()]
            count.decisions += 1
            if decision.followed == true { count.followed += 1 }
            switch decision.outcome {
            case .held: count.held += 1
            case .regressed: count.regressed += 1
            case .open: count.open += 1
            case nil: break
            }
            counts[decision.rule, default: [:]][decision.action] = count
        }
        return counts
    }

    /// The days a replay evaluates: each day with a session of a valid student, within `from` and `to`.
    ///
    /// - Parameters:
    ///   - roster: the class with its term of sessions.
    ///   - from: the first day to include, or `nil`.
    ///   - to: the last day to include, or `nil`.
    /// - Returns: the days, oldest first.
    package static func days(of roster: Roster, from: SchoolDay? = nil, to: SchoolDay? = nil) -> [SchoolDay] {
        var days: Set<SchoolDay> = []
        for entry in roster.entries {
            guard case .student(let student) = entry else { continue }
            for skill in student.skills {
                for session in skill.sessions {
                    guard let day = SchoolDay(dayOf: session.date) else { continue }
                    if let from, day < from { continue }
                    if let to, day > to { continue }
                    days.insert(day)
                }
            }
        }
        return days.sorted()
    }

    static let decisionActions: Set<String> = ["fade", "advance", "step_back", "mastered"]

    /// Replays `roster` with `engine`: evaluates the class as of each day that has a session of
    /// a valid student (within `from` and `to`), and follows each decision in the sessions after it.
    /// One engine serves every day, so its Lua states are reused from one day to the next.
    ///
    /// - Parameters:
    ///   - roster: the class with its whole term of sessions.
    ///   - engine: the rules to replay.
    ///   - from: the first day to evaluate, or `nil` for the first session's.
    ///   - to: the last day to evaluate, or `nil` for the last session's.
    ///   - followUp: how many sessions after the first followed one decide a fade or advance's outcome (at least 1).
    ///   - jobs: workers for each day's evaluation; the result is the same for any number.
    ///   - progress: called with the number of days done.
    /// - Returns: the days, the decisions and the issues.
    package static func run(
        _ roster: Roster, engine: Engine, from: SchoolDay? = nil, to: SchoolDay? = nil, followUp: Int = 5, jobs: Int = 1,
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> Replay {
        let students = roster.entries.compactMap { entry -> Student? in
            if case .student(let student) = entry { student } else { nil }
        }
        let studentByID = Dictionary(students.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let days = Self.days(of: roster, from: from, to: to)
        var decisions: [ReplayDecision] = []
        var issues: [TrellisIssue] = []
        var seenIssues: Set<TrellisIssue> = []
        for (index, day) in days.enumerated() {
            let report = engine.evaluate(roster.asOf(day), jobs: jobs)
            for issue in report.issues where seenIssues.insert(issue).inserted { issues.append(issue) }
            for result in report.results {
                guard let student = studentByID[result.student] else { continue }
                for recommendation in result.recommendations {
                    guard recommendation.kind == "prompt" || recommendation.kind == "scaffold", decisionActions.contains(recommendation.action),
                        let skillID = recommendation.skill, let skill = student.skills.first(where: { $0.id == skillID })
                    else { continue }
                    let follow = FollowUp(skill: skill, kind: recommendation.kind, ladders: roster.context.ladders)
                    if decisions.contains(where: { earlier in
                        earlier.student == student.id && earlier.skill == skillID && earlier.kind == recommendation.kind
                            && earlier.action == recommendation.action && earlier.to == recommendation.to
                            && !follow.hasSession(at: recommendation.to, after: earlier.day, upTo: day.text)
                    }) {
                        continue
                    }
                    var decision = ReplayDecision(
                        day: day.text, student: student.id, skill: skillID, kind: recommendation.kind, action: recommendation.action,
                        from: recommendation.from, to: recommendation.to, rule: recommendation.rule)
                    if recommendation.action != "mastered" {
                        decision.followed = follow.followed(after: day.text, to: recommendation.to)
                        if decision.followed == true, recommendation.action == "fade" || recommendation.action == "advance" {
                            decision.outcome = follow.outcome(after: day.text, to: recommendation.to, followUp: max(1, followUp))
                        }
                    }
                    decisions.append(decision)
                }
            }
            progress?(index + 1)
        }
        return Replay(days: days.map(\.text), decisions: decisions, issues: issues)
    }
}

/// A skill's sessions read for one kind of level: `prompt_level` for `prompt`, `stage` for `scaffold`.
struct FollowUp {
    /// The skill's sessions with a day, in input order (oldest first), and their level of this kind.
    let sessions: [(day: String, level: String?)]
    let ladder: [String]

    init(skill: Skill, kind: String, ladders: Ladders) {
        sessions = skill.sessions.compactMap { session in
            guard let day = SchoolDay(dayOf: session.date) else { return nil }
            return (day: day.text, level: kind == "prompt" ? session.promptLevel : session.stage)
        }
        ladder = kind == "prompt" ? ladders.prompt : ladders.stage
    }

    /// Whether a session dated after `start` and on or before `end` is at `level`.
    func hasSession(at level: String?, after start: String, upTo end: String) -> Bool {
        sessions.contains { $0.day > start && $0.day <= end && $0.level == level }
    }

    /// Whether the first session dated after `day` is at `to`; `nil` when there is none.
    func followed(after day: String, to: String?) -> Bool? {
        guard let first = sessions.first(where: { $0.day > day }) else { return nil }
        return first.level == to
    }

    /// Of a followed fade or advance: regressed when one of the `count` sessions after the first
    /// followed one is at a level with more support than `to`, held when `count` such sessions
    /// exist and none is, open otherwise.
    func outcome(after day: String, to: String?, followUp count: Int) -> ReplayOutcome {
        guard let first = sessions.firstIndex(where: { $0.day > day }) else { return .open }
        let next = sessions[(first + 1)...].prefix(count)
        if let to, let target = ladder.firstIndex(of: to),
            next.contains(where: { session in session.level.flatMap { ladder.firstIndex(of: $0) }.map { $0 < target } ?? false })
        {
            return .regressed
        }
        return next.count == count ? .held : .open
    }
}
