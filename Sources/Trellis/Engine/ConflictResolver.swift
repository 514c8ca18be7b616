/// Picks one recommendation for each student, skill and kind: the highest priority wins, and
/// a tie goes to the rule id that sorts first. The losers are kept to explain the winner.
enum ConflictResolver {
    static func resolve(_ recommendations: [Recommendation]) -> (winners: [Recommendation], overridden: [OverriddenRecommendation]) {
        struct Slot: Hashable {
            var skill: String?
            var kind: String
        }
        var winnerIndexBySlot: [Slot: Int] = [:]
        for (index, candidate) in recommendations.enumerated() {
            let slot = Slot(skill: candidate.skill, kind: candidate.kind)
            guard let current = winnerIndexBySlot[slot] else {
                winnerIndexBySlot[slot] = index
                continue
            }
            if beats(candidate, recommendations[current]) { winnerIndexBySlot[slot] = index }
        }
        var winners: [Recommendation] = []
        var overridden: [OverriddenRecommendation] = []
        for (index, recommendation) in recommendations.enumerated() {
            let winnerIndex = winnerIndexBySlot[Slot(skill: recommendation.skill, kind: recommendation.kind)]!
            if winnerIndex == index {
                winners.append(recommendation)
            } else {
                overridden.append(OverriddenRecommendation(recommendation: recommendation, overriddenBy: recommendations[winnerIndex].rule))
            }
        }
        return (winners, overridden)
    }

    /// Whether `candidate` wins over `current`; on a full tie the earlier one stays.
    private static func beats(_ candidate: Recommendation, _ current: Recommendation) -> Bool {
        if candidate.priority != current.priority { return candidate.priority > current.priority }
        return candidate.rule < current.rule
    }
}
