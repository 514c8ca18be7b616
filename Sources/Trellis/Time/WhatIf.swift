/// A (student, skill, kind) whose winning recommendation differs between two setups (contract
/// section 6, what-if): in `action`, `to` or the menu's option ids, or present under one only.
package struct RecommendationChange: Sendable, Hashable {
    package var student: String
    /// The skill, or `nil` for a recommendation about the student as a whole.
    package var skill: String?
    package var kind: String
    /// The winner under the base setup; `nil` when it had none.
    package var before: Recommendation?
    /// The winner under the setup tried; `nil` when it has none.
    package var after: Recommendation?

    /// A change of `kind` for `student` and `skill`.
    ///
    /// - Parameters:
    ///   - student: the student's id.
    ///   - skill: the skill's id, or `nil`.
    ///   - kind: the recommendation's kind (`prompt`, `scaffold`, `choices`...).
    ///   - before: the winner under the base setup, if any.
    ///   - after: the winner under the setup tried, if any.
    package init(student: String, skill: String?, kind: String, before: Recommendation?, after: Recommendation?) {
        self.student = student
        self.skill = skill
        self.kind = kind
        self.before = before
        self.after = after
    }
}

/// What-if: the changes between two evaluations of the same input (contract section 6).
package enum WhatIf {
    /// Every change between `before` and `after`, by student in input order, then in the order
    /// the base setup's winners come (the other setup's new ones after them). Students skipped
    /// for invalid input have no recommendations under either setup; class-level results are
    /// not compared (they name no single student, skill and kind).
    ///
    /// - Parameters:
    ///   - before: the evaluation under the base setup.
    ///   - after: the evaluation of the same input under the setup tried.
    /// - Returns: the changes; empty when the two agree.
    package static func changes(before: EvaluationReport, after: EvaluationReport) -> [RecommendationChange] {
        changes(before: before.results, after: after.results)
    }

    /// Every change between two lists of students' results, as ``changes(before:after:)-(EvaluationReport,_)`` lists them.
    static func changes(before: [StudentResult], after: [StudentResult]) -> [RecommendationChange] {
        pairs(before: before, after: after).filter { pair in
            guard let earlier = pair.before, let later = pair.after else { return true }
            return differs(earlier, later)
        }
    }

    /// Each (student, skill, kind) with its winner under either list, changed or not: students
    /// in `before`'s order then `after`'s new ones; within a student, `before`'s winners in order,
    /// then the new ones.
    static func pairs(before: [StudentResult], after: [StudentResult]) -> [RecommendationChange] {
        var afterByStudent: [String: StudentResult] = [:]
        for result in after where afterByStudent[result.student] == nil { afterByStudent[result.student] = result }
        var pairs: [RecommendationChange] = []
        var seen: Set<String> = []
        for result in before {
            seen.insert(result.student)
            pairs += Self.pairs(student: result.student, before: result.recommendations, after: afterByStudent[result.student]?.recommendations ?? [])
        }
        for result in after where seen.insert(result.student).inserted {
            pairs += Self.pairs(student: result.student, before: [], after: result.recommendations)
        }
        return pairs
    }

    /// The students with at least one change.
    ///
    /// - Parameter changes: changes as ``changes(before:after:)`` lists them.
    /// - Returns: how many distinct students they name.
    package static func studentCount(_ changes: [RecommendationChange]) -> Int {
        Set(changes.map(\.student)).count
    }

    private struct Slot: Hashable {
        var skill: String?
        var kind: String
    }

    private static func pairs(student: String, before: [Recommendation], after: [Recommendation]) -> [RecommendationChange] {
        var afterBySlot: [Slot: Recommendation] = [:]
        for recommendation in after where afterBySlot[slot(recommendation)] == nil { afterBySlot[slot(recommendation)] = recommendation }
        var pairs: [RecommendationChange] = []
        var compared: Set<Slot> = []
        for recommendation in before + after where compared.insert(slot(recommendation)).inserted {
            let key = slot(recommendation)
            let earlier = before.first { slot($0) == key }
            pairs.append(RecommendationChange(student: student, skill: key.skill, kind: key.kind, before: earlier, after: afterBySlot[key]))
        }
        return pairs
    }

    private static func slot(_ recommendation: Recommendation) -> Slot {
        Slot(skill: recommendation.skill, kind: recommendation.kind)
    }

    /// Section 6 compares the action, the target and the options offered; a new reason or
    /// priority alone is no change.
    static func differs(_ left: Recommendation, _ right: Recommendation) -> Bool {
        left.action != right.action || left.to != right.to || left.options?.map(\.id) != right.options?.map(\.id)
    }
}
