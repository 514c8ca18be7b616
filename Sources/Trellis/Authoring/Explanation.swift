/// Every rule's outcome for one student, and which recommendation won over which and why:
/// what `trellis explain` shows.
package struct Explanation: Sendable, Hashable {
    package var student: String
    package var asOf: String
    /// One entry per rule, in pack order.
    package var rules: [RuleOutcome]
    /// When the student's record is invalid, why (and no rule ran).
    package var inputIssues: [TrellisIssue]
    /// The class-level recommendations (`evaluate_class`) that name this student in `student` or
    /// `students`, in output order.
    package var classRecommendations: [Recommendation] = []

    /// What one rule did for the student.
    package struct RuleOutcome: Sendable, Hashable {
        package var rule: RuleDefinition
        package var recommendations: [Decision]
        package var notes: [RuleNote]
        package var errors: [TrellisIssue]
        /// What the rule passed to `ctx.log` for this student, in order.
        package var logs: [String]
    }

    /// A recommendation and its fate in conflict resolution.
    package struct Decision: Sendable, Hashable {
        package var recommendation: Recommendation
        /// True when it is in the output.
        package var won: Bool
        /// The other side of the conflict: the losers when it won, the winner when it lost.
        package var against: [Recommendation]
        /// Why, in words: "priority 60 beats 50", "same priority 50: generalization sorts first".
        package var why: String?
    }
}

extension Engine {
    /// Explains the decisions for one student of a roster; nil when no record has that id.
    package func explain(student id: String, in roster: Roster) -> Explanation? {
        for entry in roster.entries {
            switch entry {
            case .invalid(let studentID, let issues) where studentID == id:
                return Explanation(student: id, asOf: roster.context.asOf, rules: [], inputIssues: issues)
            case .student(let student) where student.id == id:
                var explanation = explain(student, context: roster.context)
                // Class-level rules decide over the whole class: it is evaluated for them.
                if rules.contains(where: \.evaluatesClass) {
                    let recommendations = evaluate(roster).classResult?.recommendations ?? []
                    explanation.classRecommendations = recommendations.filter { recommendation in
                        recommendation.extra["student"]?.stringValue == id
                            || (recommendation.extra["students"].map { value in
                                if case .array(let ids) = value { return ids.contains { $0.stringValue == id } }
                                return false
                            } ?? false)
                    }
                }
                return explanation
            default: continue
            }
        }
        return nil
    }

    private func explain(_ student: Student, context: ClassContext) -> Explanation {
        let outcomes: RuleOutcomes
        // A runner of its own, which keeps ctx.log's messages (the engine's never do).
        let log = RuleLog()
        do throws(TrellisError) {
            let runner = try RuleRunner(pack: pack, limits: limits, isolation: isolation, log: log)
            runner.prepare(context: context, parameterValues: parameterValues)
            outcomes = runner.evaluate(student.decidable)
        } catch {
            return Explanation(student: student.id, asOf: context.asOf, rules: [], inputIssues: error.issues)
        }
        let (_, overridden) = ConflictResolver.resolve(outcomes.recommendations)
        let losers = Set(overridden.map(\.recommendation))
        let ruleOrder = rules.map(\.id)
        let messages = log.take()
        return Explanation(
            student: student.id, asOf: context.asOf,
            rules: rules.map { rule in
                let mine = outcomes.recommendations.filter { $0.rule == rule.id }
                let decisions = mine.map { recommendation -> Explanation.Decision in
                    if losers.contains(recommendation) {
                        let winnerRule = overridden.first { $0.recommendation == recommendation }?.overriddenBy
                        let winner = outcomes.recommendations.first { $0.rule == winnerRule && $0.skill == recommendation.skill && $0.kind == recommendation.kind && !losers.contains($0) }
                        return .init(recommendation: recommendation, won: false, against: winner.map { [$0] } ?? [], why: winner.map { Self.why($0, over: recommendation) })
                    }
                    let beaten = overridden.filter { $0.overriddenBy == rule.id && $0.recommendation.skill == recommendation.skill && $0.recommendation.kind == recommendation.kind }
                        .map(\.recommendation)
                    return .init(recommendation: recommendation, won: true, against: beaten, why: beaten.first.map { Self.why(recommendation, over: $0) })
                }
                return Explanation.RuleOutcome(
                    rule: rule, recommendations: decisions, notes: outcomes.notes.filter { $0.rule == rule.id },
                    errors: outcomes.errors.filter { $0.rule == rule.id }, logs: messages.filter { $0.rule == rule.id }.map(\.text))
            }.sorted { (ruleOrder.firstIndex(of: $0.rule.id) ?? 0) < (ruleOrder.firstIndex(of: $1.rule.id) ?? 0) },
            inputIssues: student.undecidedSkillIssues)
    }

    private static func why(_ winner: Recommendation, over loser: Recommendation) -> String {
        if winner.priority != loser.priority {
            return "priority \(JSONText.number(winner.priority)) beats \(JSONText.number(loser.priority))"
        }
        return "same priority \(JSONText.number(winner.priority)): \(winner.rule) sorts before \(loser.rule)"
    }
}
