/// How far a student has got with a skill on a practice platform, in Khan Academy's mastery levels:
/// the `level` of a skill's `mastery` extension (docs/formats.md, "Mastery").
///
/// The cases are in order, least first, so that the least of several levels is `min()`.
enum MasteryLevel: String, CaseIterable, Comparable, Sendable {
    /// The student has not worked on the skill yet.
    case notStarted = "not_started"
    /// Fewer than 70% of an exercise's questions right, or questions missed on a mixed assessment.
    case attempted
    /// 70% to 99% of an exercise right.
    case familiar
    /// All of an exercise right.
    case proficient
    /// Proficient, then right again on a mixed-skill assessment.
    case mastered

    static func < (lhs: MasteryLevel, rhs: MasteryLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
