import Foundation
import Testing
import ZIPFoundation
@testable import Trellis

/// OneRoster `.zip` exports read as their folder is, and documents from several sources merged
/// by student id with each item's source kept and conflicts reported.
struct ImportMergeTests {
    @Test(.enabled(if: RealSamples.sharedIsPresent))
    func aOneRosterZipIsReadAsItsFolderIs() throws {
        let folder = RealSamples.shared.appending(path: "oneroster/Ed-Fi-Exchange-OSS-LMS-Toolkit")
        let temporary = FileManager.default.temporaryDirectory.appending(path: "trellis-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let archive = temporary.appending(path: "export.zip")
        // As systems pack it: the export's folder inside the archive.
        try FileManager.default.zipItem(at: folder, to: archive, shouldKeepParent: true)
        let fromFolder = RealSamples.oneRoster(folder)
        let fromZip = RealSamples.oneRoster(archive)
        #expect(!fromFolder.documents.isEmpty)
        #expect(fromZip.documents == fromFolder.documents)
        #expect(fromZip.counts == fromFolder.counts)
        #expect(fromZip.issues.map(\.message) == fromFolder.issues.map(\.message))
        #expect(fromZip.issues.allSatisfy { $0.file.hasPrefix(archive.path + "/Ed-Fi-Exchange-OSS-LMS-Toolkit") }, "\(fromZip.issues.map(\.file))")
    }

    @Test func aZipWithoutAnExportIsSaidPlainly() throws {
        let temporary = FileManager.default.temporaryDirectory.appending(path: "trellis-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let notes = temporary.appending(path: "notes.txt")
        try "not an export".write(to: notes, atomically: true, encoding: .utf8)
        let archive = temporary.appending(path: "export.zip")
        try FileManager.default.zipItem(at: notes, to: archive)
        let result = RealSamples.oneRoster(archive)
        #expect(result.status == .unusable)
        #expect(result.issues.first?.message.hasPrefix("the archive has no classes.csv") == true)
    }

    static func session(_ date: String, _ trials: Int, _ correct: Int, source: String? = nil) -> Session {
        Session(date: date, promptLevel: "gestural", trials: trials, correct: correct, extra: source.map { ["source": .string($0)] } ?? [:])
    }

    /// Next week's export of the same source: its work items move on (assigned, then graded) and
    /// its sessions of a day are its latest word on that day; nothing is added twice.
    @Test func theSameSourceAgainReplacesItsOwnEntries() throws {
        let context = ClassContext(asOf: "2026-11-20")
        func export(_ status: WorkItem.Status, score: Double?, sessions: [Session]) -> ClassDocument {
            ClassDocument(context: context, students: [
                Student(id: "s-1", skills: [Skill(id: "zipping", sessions: sessions)],
                    work: [WorkItem(id: "w1", skill: "zipping", status: status, score: score, due: "2026-11-14")],
                    selfAssessments: [SelfAssessment(date: "2026-11-14", skill: "zipping", rating: status == .graded ? .green : .yellow)])
            ])
        }
        let lastWeek = export(.assigned, score: nil, sessions: [Self.session("2026-11-12", 8, 7), Self.session("2026-11-12", 8, 5)])
        let thisWeek = export(.graded, score: 0.9, sessions: [Self.session("2026-11-12", 8, 7), Self.session("2026-11-12", 8, 6), Self.session("2026-11-17", 8, 8)])
        let (kept, _) = ClassMerge.merge(ClassDocument(context: context, students: []), source: "class.json", with: lastWeek, source: "classroom.json")
        let (merged, issues) = ClassMerge.merge(kept, source: "class.json", with: thisWeek, source: "classroom.json")
        #expect(issues.isEmpty, "\(issues)")
        let student = try #require(merged.students.first)
        #expect(student.work.map(\.status) == [.graded])
        #expect(student.work.first?.score == 0.9)
        #expect(student.selfAssessments.map(\.rating) == [.green])
        // Both of the 12th's sessions as the source now has them (one was corrected), and the 17th's.
        #expect(student.skills.first?.sessions.map { "\($0.date ?? "") \($0.correct ?? -1)" } == ["2026-11-12 7", "2026-11-12 6", "2026-11-17 8"])
        #expect(student.incomplete.isEmpty)

        // Another source that says otherwise about the 17th is still a conflict.
        let notebook = export(.graded, score: 0.9, sessions: [Self.session("2026-11-17", 8, 3)])
        let (_, conflicts) = ClassMerge.merge(merged, source: "class.json", with: notebook, source: "notebook.csv")
        #expect(conflicts.map(\.message) == ["conflict: zipping on 2026-11-17: gestural, 8/8 correct (classroom.json) but gestural, 3/8 correct (notebook.csv)"], "\(conflicts.map(\.message))")
    }

    @Test func mergingKeepsSourcesAndReportsAConflictInsteadOfResolvingIt() throws {
        let context = ClassContext(asOf: "2026-11-20")
        let kept = ClassDocument(context: context, students: [
            Student(id: "s-1", name: "Ava", skills: [Skill(id: "zipping", sessions: [Self.session("2026-11-12", 8, 7), Self.session("2026-11-16", 8, 8)])])
        ])
        let sheet = ClassDocument(context: context, students: [
            Student(id: "s-1", skills: [
                Skill(id: "zipping", sessions: [Self.session("2026-11-16", 8, 8), Self.session("2026-11-17", 8, 2)]),
                Skill(id: "hand-washing", sessions: [Self.session("2026-11-17", 10, 9)]),
            ]),
            Student(id: "s-2", name: "Ben", skills: [Skill(id: "reading")]),
        ])
        let classroom = ClassDocument(context: context, students: [
            Student(id: "s-1", skills: [Skill(id: "zipping", sessions: [Self.session("2026-11-17", 8, 7)])], work: [WorkItem(id: "w1", skill: "zipping", status: .graded, score: 0.9)])
        ])
        let (first, noConflicts) = ClassMerge.merge(kept, source: "class.json", with: sheet, source: "sessions.csv")
        #expect(noConflicts.isEmpty)
        let ava = try #require(first.students.first)
        // The same session from two sources is kept once; each keeps its source.
        #expect(ava.skills[0].sessions.map(\.date) == ["2026-11-12", "2026-11-16", "2026-11-17"])
        #expect(ava.skills[0].sessions.map { $0.extra["source"] } == [.string("class.json"), .string("class.json"), .string("sessions.csv")])
        #expect(ava.skills.map(\.id) == ["zipping", "hand-washing"])
        #expect(first.students.map(\.id) == ["s-1", "s-2"])
        #expect(ava.name == "Ava")

        let (merged, conflicts) = ClassMerge.merge(first, source: "class.json", with: classroom, source: "classroom.json")
        #expect(conflicts.map(\.description) == [
            "classroom.json: students (s-1).zipping: conflict: zipping on 2026-11-17: gestural, 2/8 correct (sessions.csv) but gestural, 7/8 correct (classroom.json)"
        ])
        let after = try #require(merged.students.first)
        // Neither number is chosen for a decision: the skill is incomplete until a source is fixed.
        #expect(after.skills[0].sessions.count == 3)
        #expect(after.incomplete.map(\.skill) == ["zipping"])
        #expect(after.work.first?.extra["source"] == .string("classroom.json"))
        let result = try Engine().evaluate(after, context: context)
        #expect(result.errors.contains { $0.kind == .undecidedSkill && $0.skill == "zipping" })
        #expect(!result.recommendations.contains { $0.skill == "zipping" })
    }

    /// A badge is never taken away: merged, the higher one held stands. A work item whose
    /// checklist differs between sources is a conflict like a differing score.
    @Test func badgesKeepTheHigherAndChecklistsThatDifferConflict() throws {
        let context = ClassContext(asOf: "2026-11-20")
        let base = ClassDocument(context: context, students: [
            Student(
                id: "s-1", skills: [Skill(id: "zipping", badge: .silver), Skill(id: "reading"), Skill(id: "math", badge: .gold)],
                work: [WorkItem(id: "w1", skill: "zipping", due: "2026-11-18", checklist: Checklist(done: 1, total: 4))])
        ])
        let addition = ClassDocument(context: context, students: [
            Student(
                id: "s-1", skills: [Skill(id: "zipping", badge: .bronze), Skill(id: "reading", badge: .bronze), Skill(id: "math", badge: .silver)],
                work: [WorkItem(id: "w1", skill: "zipping", due: "2026-11-18", checklist: Checklist(done: 3, total: 4))])
        ])
        let (merged, issues) = ClassMerge.merge(base, source: "a.json", with: addition, source: "b.json")
        let student = try #require(merged.students.first)
        #expect(student.skills.map(\.badge) == [.silver, .bronze, .gold])
        #expect(issues.map(\.description) == [
            "b.json: students (s-1).zipping: conflict: work w1 due 2026-11-18: no status, score none, checklist 1 of 4 (a.json) but no status, score none, checklist 3 of 4 (b.json)"
        ])
        let same = ClassMerge.merge(base, source: "a.json", with: base, source: "b.json")
        #expect(same.issues.isEmpty)
        #expect(same.document.students.first?.work.count == 1)
    }

    @Test func differentLaddersAreNotMerged() {
        var other = ClassContext(asOf: "2026-11-20")
        other.ladders.prompt = ["hoh", "independent"]
        let base = ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [])
        let addition = ClassDocument(context: other, students: [Student(id: "s-1", skills: [Skill(id: "x", sessions: [Session(date: "2026-11-01", promptLevel: "hoh")])])])
        let (merged, issues) = ClassMerge.merge(base, source: "a.json", with: addition, source: "b.json")
        #expect(merged.students.isEmpty)
        #expect(issues.first?.field == "ladders.prompt")
    }
}
