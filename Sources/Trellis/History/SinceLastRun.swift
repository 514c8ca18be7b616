/// What the report says about the class's previous run in a history: what is new since, and
/// whether that run's fades, advances and step-backs were followed.
package struct SinceLastRun: Sendable {
    /// A fade, advance or step back the previous run recommended, and what the sessions since
    /// show was done.
    package struct FollowUpCheck: Sendable, Hashable {
        package var student: String
        package var skill: String
        /// `prompt` or `scaffold`.
        package var kind: String
        package var recommendation: Recommendation
        /// Whether the first session of the skill after the previous run's day was at the
        /// recommended level (as `trellis replay` judges it); `nil` with no session since.
        package var followed: Bool?
    }

    /// The history file.
    package var path: String
    /// The class's latest run before this one; `nil` when this is the first.
    package var previous: RecordedRun?
    /// Each (student, skill, kind) whose winner differs from the previous run's (as `trellis
    /// diff` counts a change): `before` is the previous run's.
    package var changes: [RecommendationChange]
    /// The previous run's fades, advances and step-backs, each judged.
    package var followUps: [FollowUpCheck]

    /// Compares `evaluation` of `roster` with the latest run of the same class in `history`,
    /// before it is recorded.
    ///
    /// - Parameters:
    ///   - history: the history file.
    ///   - roster: this run's input (its sessions judge the previous run's recommendations).
    ///   - evaluation: this run's evaluation.
    /// - Throws: ``HistoryError`` naming the file when it cannot be read.
    package init(history: RunHistory, roster: Roster, evaluation: EvaluationReport) throws(HistoryError) {
        path = history.path
        previous = try history.latestRun(ofClass: RunHistory.classKey(of: roster.context))
        guard let previous else {
            changes = []
            followUps = []
            return
        }
        let earlier = HistoryTimeline.results(try history.recommendations(ofRun: previous.id))
        changes = WhatIf.changes(before: earlier, after: evaluation.results)
        var students: [String: Student] = [:]
        for entry in roster.entries {
            if case .student(let student) = entry, students[student.id] == nil { students[student.id] = student }
        }
        var checks: [FollowUpCheck] = []
        for result in earlier {
            for recommendation in result.recommendations {
                guard recommendation.kind == "prompt" || recommendation.kind == "scaffold",
                    ["fade", "advance", "step_back"].contains(recommendation.action), let skillID = recommendation.skill
                else { continue }
                let skill = students[result.student]?.skills.first { $0.id == skillID }
                let followed = skill.flatMap { skill in
                    FollowUp(skill: skill, kind: recommendation.kind, ladders: roster.context.ladders)
                        .followed(after: previous.evaluatedAsOf, to: recommendation.to)
                }
                checks.append(
                    FollowUpCheck(student: result.student, skill: skillID, kind: recommendation.kind, recommendation: recommendation, followed: followed))
            }
        }
        followUps = checks
    }
}
