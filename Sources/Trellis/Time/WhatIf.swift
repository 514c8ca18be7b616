/// A (student, skill, kind) whose winning recommendation differs between two setups (contract
/// section 6, what-if): in `action`, `to` or the menu's option ids, or present under one only.
public struct RecommendationChange: Sendable, Hashable {
    public var student: String
    /// The skill, or `nil` for a recommendation about the student as a whole.
    public var skill: String?
    public var kind: String
    /// The winner under the base setup; `nil` when it had none.
    public var before: Recommendation?
    /// The winner under the setup tried; `nil` when it has none.
    public var after: Recommendation?

    /// A change of `kind` for `student` and `skill`.
    ///
    /// - Parameters:
    ///   - student: the student's id.
    ///   - skill: the skill's id, or `nil`.
    ///   - kind: the recommendation's kind (`prompt`, `scaffold`, `choices`...).
    ///   - before: the winner under the base setup, if any.
    ///   - after: the winner under the setup tried, if any.
    public init(student: String, skill: String?, kind: String, before: Recommendation?, after: Recommendation?) {
        self.student = student
        self.skill = skill
        self.kind = kind
        self.before = before
        self.after = after
    }
}

/// What-if: the changes between two evaluations of the same input (contract section 6).
public enum WhatIf {
    /// Every change between `before` and `after`, by student in input order, then in the order
    /// the base setup's winners come (the other setup's new ones after them). Students skipped
    /// for invalid input have no recommendations under either setup; class-level results are
    /// not compared (they name no single student, skill and kind).
    ///
    /// - Parameters:
    ///   - before: the evaluation under the base setup.
    ///   - after: the evaluation of the same input under the setup tried.
    /// - Returns: the changes; empty when the two agree.
    public static func changes(before: EvaluationReport, after: EvaluationReport) -> [RecommendationChange] {
        var afterByStudent: [String: StudentResult] = [:]
        for result in after.results where afterByStudent[result.student] == nil { afterByStudent[result.student] = result }
        var changes: [RecommendationChange] = []
        var seen: Set<String> = []
        for result in before.results {
            seen.insert(result.student)
            changes += Self.changes(student: result.student, before: result.recommendations, after: afterByStudent[result.student]?.recommendations ?? [])
        }
        for result in after.results where !seen.contains(result.student) {
            seen.insert(result.student)
            changes += Self.changes(student: result.student, before: [], after: result.recommendations)
        }
        return changes
    }

    /// The students with at least one change.
    ///
    /// - Parameter changes: changes as ``changes(before:after:)`` lists them.
    /// - Returns: how many distinct students they name.
    public static func studentCount(_ changes: [RecommendationChange]) -> Int {
        Set(changes.map(\.student)).count
    }

    private struct Slot: Hashable {
        var skill: String?
        var kind: String
    }

    private static func changes(student: String, before: [Recommendation], after: [Recommendation]) -> [RecommendationChange] {
        var afterBySlot: [Slot: Recommendation] = [:]
        for recommendation in after where afterBySlot[slot(recommendation)] == nil { afterBySlot[slot(recommendation)] = recommendation }
        var changes: [RecommendationChange] = []
        var compared: Set<Slot> = []
        for recommendation in before where !compared.contains(slot(recommendation)) {
            let key = slot(recommendation)
            compared.insert(key)
            let other = afterBySlot[key]
            if let other, !differs(recommendation, other) { continue }
            changes.append(RecommendationChange(student: student, skill: key.skill, kind: key.kind, before: recommendation, after: other))
        }
        for recommendation in after where !compared.contains(slot(recommendation)) {
            let key = slot(recommendation)
            compared.insert(key)
            changes.append(RecommendationChange(student: student, skill: key.skill, kind: key.kind, before: nil, after: recommendation))
        }
        return changes
    }

    private static func slot(_ recommendation: Recommendation) -> Slot {
        Slot(skill: recommendation.skill, kind: recommendation.kind)
    }

    /// Section 6 compares the action, the target and the options offered; a new reason or
    /// priority alone is no change.
    private static func differs(_ left: Recommendation, _ right: Recommendation) -> Bool {
        left.action != right.action || left.to != right.to || left.options?.map(\.id) != right.options?.map(\.id)
    }
}
