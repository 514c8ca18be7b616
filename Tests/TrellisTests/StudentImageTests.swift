import Testing
@testable import Trellis

/// The binary form a streamed class keeps its students in gives back exactly the student, and
/// damaged bytes give back nothing rather than a wrong student.
struct StudentImageTests {
    static let extras: [String: JSONValue] = [
        "null": .null, "yes": .bool(true), "no": .bool(false), "big": .integer(Int64.max), "small": .integer(Int64.min),
        "fraction": .number(-0.125), "text": .string("é ✓ \u{0}"), "empty": .string(""),
        "nested": .object(["list": .array([.integer(1), .array([]), .object([:]), .string("x")]), "deeper": .object(["a": .null])]),
    ]

    static let unusual = Student(
        id: "s-ü", name: nil, flags: ["ell", ""], preferredModalities: ["visual"],
        skills: [
            Skill(id: "k", domain: "math", promptLevel: "verbal", stage: nil, sessions: [
                Session(date: "2026-11-02", promptLevel: "gestural", trials: 0, correct: Int.max, independent: -3, staff: "Ms. Long Name With Many Letters", extra: extras),
                Session(),
            ], extra: extras),
            Skill(id: "empty"),
        ],
        work: [WorkItem(id: "w", skill: "k", status: .missing, score: 0.5, due: "2026-11-03", modality: "oral", extra: extras), WorkItem()],
        selfAssessments: [SelfAssessment(date: "2026-11-04", skill: "k", rating: .yellow, extra: extras), SelfAssessment()],
        extra: extras, preferenceExtra: ["quiet": .bool(true)])

    @Test func studentsComeBackExactly() throws {
        let roster = SyntheticRoster(students: 40, seed: 5)
        for student in (0..<40).map(roster.student) + [Self.unusual, Student(id: "bare")] {
            let image = StudentImage.encode(student)
            #expect(StudentImage.decode(image) == student, "\(student.id)")
        }
    }

    @Test func damagedBytesGiveNothing() {
        let image = StudentImage.encode(Self.unusual)
        // Every truncation, and trailing bytes, are refused.
        for length in stride(from: 0, to: image.count, by: 7) {
            #expect(StudentImage.decode(Array(image[..<length])) == nil, "cut at \(length) of \(image.count)")
        }
        #expect(StudentImage.decode(image + [0]) == nil)
        // A count larger than the bytes left is refused before anything is reserved for it.
        #expect(StudentImage.decode([1, UInt8(ascii: "x"), 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == nil)
    }
}
