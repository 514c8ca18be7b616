/// Picks one recommendation for each student, skill and kind: the highest priority wins, and
/// a tie goes to the rule id that sorts first. The losers are kept to explain the winner.
enum ConflictResolver {
    static func resolve(_ recommendations: [Recommendation]) -> (winners: [Recommendation], overridden: [OverriddenRecommendation]) {
        struct Slot: Hashable {
            var skill: String?
            var kind: String
        }
        // Per slot, the index of its current winner; per recommendation, its slot.
        var slotBySkillAndKind: [Slot: Int] = [:]
        var winnerBySlot: [Int] = []
        var slotOf: [Int] = []
        slotOf.reserveCapacity(recommendations.count)
        for (index, candidate) in recommendations.enumerated() {
            let key = Slot(skill: candidate.skill, kind: candidate.kind)
            guard let slot = slotBySkillAndKind[key] else {
                slotBySkillAndKind[key] = winnerBySlot.count
                slotOf.append(winnerBySlot.count)
                winnerBySlot.append(index)
                continue
            }
            slotOf.append(slot)
            if beats(candidate, recommendations[winnerBySlot[slot]]) { winnerBySlot[slot] = index }
        }
        var winners: [Recommendation] = []
        winners.reserveCapacity(winnerBySlot.count)
        var overridden: [OverriddenRecommendation] = []
        for (index, recommendation) in recommendations.enumerated() {
            let winnerIndex = winnerBySlot[slotOf[index]]
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
