/// A mastery badge a student holds for a skill (`skills[].badge`, contract section 5), lowest
/// first: a badge is only ever replaced by a higher one.
public enum Badge: String, Sendable, Hashable, CaseIterable, Comparable {
    case bronze, silver, gold

    /// Whether `lhs` is a lower badge than `rhs`: bronze < silver < gold.
    public static func < (lhs: Badge, rhs: Badge) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
