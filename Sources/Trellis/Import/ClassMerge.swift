import Foundation

/// Merges class documents from several sources (a spreadsheet, Classroom, Khan Academy, a
/// document kept by hand) into one, by student id.
///
/// Every session, work item and self-assessment keeps where it came from in its `source` field
/// (the one it has, else the name of its document). Conflicts are reported, never resolved
/// silently: the same student, skill and date (a work item: the same id and due date) with
/// different numbers from two sources is a fault, the first document's entry is kept, and the
/// skill is recorded as incomplete, so that `evaluate` leaves it undecided until someone fixes
/// one of the sources. The same entry from two sources is kept once. A source merged again
/// (next week's export) replaces its own entries: its sessions of each day it holds, its work
/// items by id, skill and due date (a status moves on), its self-assessments by skill and date.
package enum ClassMerge {
    /// Merges `addition` into `base`.
    ///
    /// - Parameters:
    ///   - base: the document merged into, whose entries win a conflict.
    ///   - baseSource: names `base`'s entries that have no `source` yet (`class.json`).
    ///   - addition: the document merged in.
    ///   - additionSource: names `addition`'s entries that have no `source` yet (`sessions.csv`).
    /// - Returns: the merged document, and the conflicts and other problems as import issues.
    package static func merge(_ base: ClassDocument, source baseSource: String, with addition: ClassDocument, source additionSource: String) -> (
        document: ClassDocument, issues: [ImportIssue]
    ) {
        var issues: [ImportIssue] = []
        var merged = base
        merged.students = base.students.map { tagged($0, source: baseSource) }
        for name in ["prompt", "stage"] where base.context.ladders.all[name] != addition.context.ladders.all[name] {
            let uses = addition.students.contains { student in
                student.skills.contains { skill in skill.sessions.contains { name == "prompt" ? $0.promptLevel != nil : $0.stage != nil } }
            }
            guard uses else { continue }
            issues.append(ImportIssue(
                file: additionSource, field: "ladders.\(name)",
                message: "its \(name) ladder (\((addition.context.ladders.all[name] ?? []).joined(separator: ", "))) is not the document's (\((base.context.ladders.all[name] ?? []).joined(separator: ", "))): nothing of it is merged; give both the same ladders (a --header or a map's ladders)"))
            return (merged, issues)
        }
        if addition.context.asOf > merged.context.asOf { merged.context.asOf = addition.context.asOf }
        let known = Set(merged.context.catalog.map(\.id))
        merged.context.catalog += addition.context.catalog.filter { !known.contains($0.id) }
        var index: [String: Int] = [:]
        for (position, student) in merged.students.enumerated() { index[student.id] = position }
        for student in addition.students {
            let incoming = tagged(student, source: additionSource)
            guard let position = index[incoming.id] else {
                index[incoming.id] = merged.students.count
                merged.students.append(incoming)
                continue
            }
            merged.students[position] = merge(merged.students[position], incoming, source: additionSource, issues: &issues)
        }
        return (merged, issues)
    }

    private static func tagged(_ student: Student, source: String) -> Student {
        var student = student
        for skill in student.skills.indices {
            for session in student.skills[skill].sessions.indices where student.skills[skill].sessions[session].extra["source"] == nil {
                student.skills[skill].sessions[session].extra["source"] = .string(source)
            }
        }
        for item in student.work.indices where student.work[item].extra["source"] == nil { student.work[item].extra["source"] = .string(source) }
        for item in student.selfAssessments.indices where student.selfAssessments[item].extra["source"] == nil {
            student.selfAssessments[item].extra["source"] = .string(source)
        }
        return student
    }

    private static func sourceName(_ extra: [String: JSONValue]) -> String {
        if case .string(let source)? = extra["source"] { return source }
        return "?"
    }

    private static func counts(_ session: Session) -> String {
        var parts: [String] = []
        if let level = session.promptLevel { parts.append(level) }
        if let stage = session.stage { parts.append(stage) }
        parts.append("\(session.correct.map(String.init) ?? "-")/\(session.trials.map(String.init) ?? "-") correct")
        if let independent = session.independent { parts.append("\(independent) independent") }
        return parts.joined(separator: ", ")
    }

    private static func sameNumbers(_ a: Session, _ b: Session) -> Bool {
        a.trials == b.trials && a.correct == b.correct && a.independent == b.independent && a.promptLevel == b.promptLevel && a.stage == b.stage
    }

    /// A skill's `mastery` from two sources: the newer date's is kept; the same date with another
    /// level, points or percentage is a conflict (its message), and the first is kept.
    private static func newerMastery(_ held: JSONValue?, _ incoming: JSONValue?, skill: String, source: String, into extra: inout [String: JSONValue]) -> String? {
        guard case .object(let old)? = held, case .object(let new)? = incoming, old != new else { return nil }
        let (oldDate, newDate) = (old["date"]?.stringValue ?? "", new["date"]?.stringValue ?? "")
        if newDate > oldDate { extra[MasteryDecoding.key] = incoming }
        guard newDate == oldDate, ["level", "points", "percent"].contains(where: { old[$0] != new[$0] }) else { return nil }
        func describe(_ mastery: [String: JSONValue]) -> String {
            ([mastery["level"]?.stringValue ?? "no level"] + ["points", "percent"].compactMap { key in mastery[key].map { "\(key) \($0.briefDescription)" } }).joined(separator: ", ")
        }
        return "mastery of \(skill) on \(newDate): \(describe(old)) (\(old["source"]?.stringValue ?? "?")) but \(describe(new)) (\(new["source"]?.stringValue ?? source))"
    }

    private static func merge(_ current: Student, _ incoming: Student, source: String, issues: inout [ImportIssue]) -> Student {
        var student = current
        if student.name == nil { student.name = incoming.name }
        for flag in incoming.flags where !student.flags.contains(flag) { student.flags.append(flag) }
        student.incomplete += incoming.incomplete.filter { !student.incomplete.contains($0) }
        func conflict(_ skill: String?, _ message: String) {
            issues.append(ImportIssue(file: source, field: "students (\(student.id))" + (skill.map { ".\($0)" } ?? ""), message: "conflict: " + message))
            if let skill { student.incomplete.append(IncompleteSkill(skill: skill, message: "conflict between sources: " + message, location: source)) }
        }
        for skill in incoming.skills {
            guard let position = student.skills.firstIndex(where: { $0.id == skill.id }) else {
                student.skills.append(skill)
                continue
            }
            var existing = student.skills[position]
            if existing.promptLevel == nil { existing.promptLevel = skill.promptLevel }
            if existing.stage == nil { existing.stage = skill.stage }
            if existing.domain == nil { existing.domain = skill.domain }
            // A badge is never taken away: the higher of the two held.
            if let badge = skill.badge, existing.badge.map({ $0 < badge }) ?? true { existing.badge = badge }
            for (key, value) in skill.extra where existing.extra[key] == nil { existing.extra[key] = value }
            if let message = newerMastery(existing.extra[MasteryDecoding.key], skill.extra[MasteryDecoding.key], skill: skill.id, source: source, into: &existing.extra) {
                conflict(skill.id, message)
            }
            // A source's sessions of a day are its latest word on that day: an import of the same
            // source again (next week's export, a corrected sheet) replaces them rather than adding
            // them a second time.
            let days = Set(skill.sessions.map(\.date))
            existing.sessions.removeAll { days.contains($0.date) && sourceName($0.extra) == source }
            for session in skill.sessions {
                let sameDay = existing.sessions.filter { $0.date == session.date && sourceName($0.extra) != source }
                if sameDay.contains(where: { sameNumbers($0, session) }) { continue }
                if let other = sameDay.first {
                    conflict(skill.id, "\(skill.id) on \(session.date ?? "no date"): \(counts(other)) (\(sourceName(other.extra))) but \(counts(session)) (\(source))")
                    continue
                }
                existing.sessions.append(session)
            }
            // Oldest first; a day's sessions keep their order.
            existing.sessions = existing.sessions.enumerated().sorted { ($0.element.date ?? "", $0.offset) < ($1.element.date ?? "", $1.offset) }.map(\.element)
            student.skills[position] = existing
        }
        // The same source's work item (by id, skill and due date) or self-assessment (by skill and
        // date) is replaced: a status moves from assigned to submitted to graded between exports.
        student.work.removeAll { current in
            sourceName(current.extra) == source && incoming.work.contains { $0.id == current.id && $0.skill == current.skill && $0.due == current.due }
        }
        student.selfAssessments.removeAll { current in
            sourceName(current.extra) == source && incoming.selfAssessments.contains { $0.skill == current.skill && $0.date == current.date }
        }
        for item in incoming.work {
            let same = student.work.filter { $0.id == item.id && $0.skill == item.skill && $0.due == item.due && sourceName($0.extra) != source }
            if same.contains(where: { $0.status == item.status && $0.score == item.score && $0.checklist == item.checklist }) { continue }
            if let other = same.first {
                func describe(_ work: WorkItem) -> String {
                    let checklist = work.checklist.map { ", checklist \($0.done) of \($0.total)" } ?? ""
                    return "\(work.status?.rawValue ?? "no status"), score \(work.score.map { JSONText.number($0) } ?? "none")\(checklist)"
                }
                conflict(item.skill, "work \(item.id ?? "?") due \(item.due ?? "-"): \(describe(other)) (\(sourceName(other.extra))) but \(describe(item)) (\(source))")
                continue
            }
            student.work.append(item)
        }
        for assessment in incoming.selfAssessments {
            let same = student.selfAssessments.filter { $0.skill == assessment.skill && $0.date == assessment.date && sourceName($0.extra) != source }
            if same.contains(where: { $0.rating == assessment.rating }) { continue }
            if let other = same.first {
                conflict(assessment.skill, "self-assessment of \(assessment.skill ?? "?") on \(assessment.date ?? "-"): \(other.rating?.rawValue ?? "-") (\(sourceName(other.extra))) but \(assessment.rating?.rawValue ?? "-") (\(source))")
                continue
            }
            student.selfAssessments.append(assessment)
        }
        return student
    }
}
