import TrellisLua
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
            ], badge: .silver, extra: extras),
            Skill(id: "empty", badge: .gold),
        ],
        work: [
            WorkItem(
                id: "w", skill: "k", status: .missing, score: 0.5, due: "2026-11-03", modality: "oral", checklist: Checklist(done: 0, total: 7, extra: extras),
                extra: extras),
            WorkItem(checklist: Checklist(done: 3, total: 3)), WorkItem(),
        ],
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

    /// A class-level rule's student: sessions without fields beyond the contract stay packed, to
    /// be built as read, and unpack to exactly the sessions.
    @Test func classStudentsKeepTheirSessionsPacked() throws {
        let roster = SyntheticRoster(students: 10, seed: 5)
        for student in (0..<10).map(roster.student) {
            let (decoded, packed) = try #require(StudentImage.decodeForClass(StudentImage.encode(student)))
            #expect(packed.count == student.skills.count)
            for (index, skill) in student.skills.enumerated() {
                let bytes = try #require(packed[index])
                #expect(decoded.skills[index].sessions.isEmpty)
                #expect(Array(bytes).withUnsafeBytes { PackedSessions.decode($0) } == skill.sessions)
            }
        }
        let (decoded, packed) = try #require(StudentImage.decodeForClass(StudentImage.encode(Self.unusual)))
        // Sessions with extra fields are not packed; a skill without sessions is (as none).
        #expect(packed.map { $0 == nil } == [true, false])
        #expect(decoded.skills[0].sessions == Self.unusual.skills[0].sessions)
    }

    /// Damaged packed sessions read as missing sessions, never as memory outside the string.
    @Test func damagedPackedSessionsReadAsNothing() throws {
        let sessions = [Session(date: "2026-11-02", promptLevel: "model", trials: 10, correct: 7), Session(staff: "Ms. B")]
        let packed = try #require(PackedSessions.encode(sessions))
        let lua = try LuaState(limits: RuleLimits().lua)
        // Read as a rule reads: through the list's and each session's metamethods.
        let reader = """
            local sessions = ...
            local out = {}
            for index = 0, #sessions + 1 do
              local session = sessions[index]
              out[#out + 1] = type(session) ~= "table" and "nil" or ((session.staff or "-") .. " " .. (session.trials or 0))
            end
            return table.concat(out, "|")
            """
        func read(_ bytes: [UInt8]) throws -> [String] {
            try lua.load(reader, chunkName: "packed-reader.lua")
            lua.push(packedSessions: bytes[...])
            try lua.call(arguments: 1, results: 1, guarded: false)
            defer { lua.pop() }
            return (lua.string(at: -1) ?? "").split(separator: "|").map(String.init)
        }
        #expect(try read(packed) == ["nil", "- 10", "Ms. B 0", "nil"])
        // A header that does not match the length: an empty list.
        #expect(try read(Array(packed.dropLast())) == ["nil", "nil"])
        // A record's string running past the end: that session is missing, the other is read.
        var longer = packed
        let staffLength = packed.count - 5 - 4
        longer.replaceSubrange(staffLength..<(staffLength + 4), with: [0xFF, 0xFF, 0, 0])
        #expect(try read(longer) == ["nil", "- 10", "nil", "nil"])
        // An offset past the end.
        var offset = packed
        offset.replaceSubrange(12..<16, with: [0xFF, 0, 0, 0])
        #expect(try read(offset) == ["nil", "- 10", "nil", "nil"])
    }

    /// The winners class-level rules see in `class.results` come back with those fields.
    @Test func winnersComeBackWithTheFieldsClassRulesSee() {
        let winners = [
            Recommendation(skill: "k", kind: "prompt", action: "fade", from: "model", to: "gestural", rule: "prompt-fading", priority: 10.5, reason: "é ✓"),
            Recommendation(skill: nil, kind: "custom", action: "", rule: "r", priority: -1, reason: ""),
        ]
        let bytes = StudentImage.encode(winners: winners)
        #expect(StudentImage.decodeWinners(bytes) == winners)
        #expect(StudentImage.decodeWinners(StudentImage.encode(winners: [])) == [])
        for length in 0..<bytes.count { #expect(StudentImage.decodeWinners(Array(bytes[..<length])) == nil) }
        #expect(StudentImage.decodeWinners(bytes + [0]) == nil)
    }
}
