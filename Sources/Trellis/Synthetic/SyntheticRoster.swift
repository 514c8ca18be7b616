/// Realistic made-up rosters for benchmarks and tests: the same seed always gives the same
/// students, so a measurement can be repeated exactly.
package struct SyntheticRoster: Sendable {
    package var students: Int
    package var seed: UInt64
    /// Skills per student.
    package var skillsPerStudent: Int
    /// Sessions per skill.
    package var sessionsPerSkill: Int

    package init(students: Int, seed: UInt64 = 1, skillsPerStudent: Int = 8, sessionsPerSkill: Int = 20) {
        self.students = students
        self.seed = seed
        self.skillsPerStudent = skillsPerStudent
        self.sessionsPerSkill = sessionsPerSkill
    }

    static let adaptiveSkills = ["hand-washing", "zipping-coat", "packing-backpack", "lunch-line", "greeting-peers", "asking-for-help", "tying-shoes", "using-schedule"]
    static let academicSkills = ["fractions", "sight-words", "addition-within-20", "telling-time", "reading-comprehension", "counting-money", "spelling-cvc", "writing-sentences"]
    static let modalities = ["video", "drawing", "worksheet", "oral", "manipulatives", "tablet-app"]

    /// The class-level fields: default ladders and a catalog of three items per skill.
    package var context: ClassContext {
        var catalog: [CatalogItem] = []
        for (index, skill) in (Self.adaptiveSkills + Self.academicSkills).enumerated() {
            for offset in 0..<3 {
                let modality = Self.modalities[(index + offset * 2) % Self.modalities.count]
                catalog.append(CatalogItem(id: "\(skill)-\(modality)", title: "\(skill) with \(modality)", kind: "practice", modality: modality, skills: [skill]))
            }
        }
        return ClassContext(asOf: "2026-11-20", classInfo: ClassInfo(id: "synthetic", title: "Synthetic roster", staff: ["t-1", "p-1"]), catalog: catalog)
    }

    /// The `index`th student (0-based); independent of the others, so generation can stream.
    package func student(_ index: Int) -> Student {
        var random = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let ladders = Ladders()
        var skills: [Skill] = []
        let pool = Self.adaptiveSkills + Self.academicSkills
        var start = Int(random.next() % UInt64(pool.count))
        for _ in 0..<skillsPerStudent {
            let id = pool[start % pool.count]
            start += 1
            let adaptive = Self.adaptiveSkills.contains(id)
            let ladder = adaptive ? ladders.prompt : ladders.stage
            var level = Int(random.next() % UInt64(ladder.count - 1))
            var sessions: [Session] = []
            for day in 0..<sessionsPerSkill {
                let trials = 5 + Int(random.next() % 8)
                let skillful = Double(random.next() % 100) / 100
                let correct = min(trials, Int((Double(trials) * (0.35 + skillful * 0.7)).rounded()))
                let name = ladder[level]
                sessions.append(
                    Session(
                        date: Self.date(dayIndex: day, of: sessionsPerSkill), promptLevel: adaptive ? name : nil, stage: adaptive ? nil : name,
                        trials: trials, correct: correct, independent: min(correct, Int(random.next() % UInt64(correct + 1))),
                        setting: random.next() % 3 == 0 ? "community" : "classroom", staff: random.next() % 2 == 0 ? "t-1" : "p-1"))
                // A level changes now and then, as it would after a fade or a step back.
                if random.next() % 6 == 0 { level = min(ladder.count - 1, max(0, level + (random.next() % 3 == 0 ? -1 : 1))) }
            }
            skills.append(Skill(id: id, domain: adaptive ? "adaptive" : "academic", sessions: sessions))
        }
        let statuses: [WorkItem.Status] = [.assigned, .submitted, .graded, .missing, .exempt]
        let work = (0..<4).map { item -> WorkItem in
            let status = statuses[Int(random.next() % UInt64(statuses.count))]
            return WorkItem(
                id: "w-\(index)-\(item)", skill: skills[item % skills.count].id, status: status,
                score: status == .graded ? Double(random.next() % 101) / 100 : nil, due: Self.date(dayIndex: item * 4, of: 20),
                modality: Self.modalities[Int(random.next() % UInt64(Self.modalities.count))])
        }
        let preferred = random.next() % 2 == 0 ? [Self.modalities[Int(random.next() % UInt64(Self.modalities.count))]] : []
        return Student(
            id: "st-\(String(index + 1))", name: "Student \(index + 1)", flags: random.next() % 5 == 0 ? ["iep"] : [], preferredModalities: preferred,
            skills: skills, work: work)
    }

    /// School days spread over September to November 2026, oldest first.
    static func date(dayIndex: Int, of count: Int) -> String {
        let dayOfTerm = count <= 1 ? 0 : dayIndex * 80 / max(count - 1, 1)
        let months = [(9, 30), (10, 31), (11, 20)]
        var remaining = dayOfTerm
        for (month, days) in months {
            if remaining < days { return "2026-\(month < 10 ? "0" : "")\(month)-\(remaining + 1 < 10 ? "0" : "")\(remaining + 1)" }
            remaining -= days
        }
        return "2026-11-20"
    }
}

/// A small, fast, reproducible random number generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
