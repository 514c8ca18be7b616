import Testing
@testable import Trellis

/// Sessions must be oldest first, compared by day: the byte comparison behind that check.
struct DayOrderTests {
    @Test(arguments: [
        ("2026-11-01", "2026-11-05", true),
        ("2026-11-05", "2026-11-01", false),
        ("2026-11-05", "2026-11-05", false),
        // Times of day do not order sessions of one day.
        ("2026-11-05T16:00:00Z", "2026-11-05T08:00:00Z", false),
        ("2026-11-04T23:59:59Z", "2026-11-05", true),
        ("2025-12-31", "2026-01-01", true),
        ("2026-11-05", "2026-11-05T08:00:00Z", false),
    ])
    func daysCompareByTheirFirstTenBytes(a: String, b: String, precedes: Bool) {
        #expect(StudentDecoder.dayPrecedes(a, b) == precedes)
        // The generic comparison it replaces gives the same answer.
        #expect(a.utf8.prefix(10).lexicographicallyPrecedes(b.utf8.prefix(10)) == precedes)
    }
}
