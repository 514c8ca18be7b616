/// A day of the school calendar, `YYYY-MM-DD`, as `--as-of`, `--from` and `--to` give it.
package struct SchoolDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The day as written, `YYYY-MM-DD`.
    package let text: String

    /// The day `text` names, or `nil` when it is not a real `YYYY-MM-DD` day.
    ///
    /// - Parameter text: the day, such as `2026-11-12`; a time of day is not accepted here.
    package init?(_ text: String) {
        guard text.utf8.count == 10, SchoolDate.isValid(text) else { return nil }
        self.text = text
    }

    /// The day of a contract date (`YYYY-MM-DD` or an ISO 8601 date and time), or `nil` when it has none.
    init?(dayOf date: String?) {
        guard let date, date.utf8.count >= 10 else { return nil }
        self.init(String(date.prefix(10)))
    }

    package var description: String { text }

    package static func < (lhs: SchoolDay, rhs: SchoolDay) -> Bool { lhs.text < rhs.text }
}

extension Roster {
    /// The class as it stood on `day` (contract section 6): `as_of` is `day`, and each valid
    /// student keeps only the sessions, work items (by `due`) and self-assessments dated on or
    /// before it; records without a date are left out, since nothing says they existed then.
    ///
    /// A skill's own `prompt_level` and `stage` describe the day the document was written. When
    /// the cut removes a session of that skill they no longer describe `day`, so they are dropped
    /// and the skill's current level is that of its newest session kept (section 1's rule for a
    /// skill without its own level). Records rejected on input stay as they were.
    ///
    /// - Parameter day: the day to look back to.
    /// - Returns: the roster as of `day`, in the same order.
    package func asOf(_ day: SchoolDay) -> Roster {
        var context = self.context
        context.asOf = day.text
        return Roster(context: context, entries: entries.map { entry in
            guard case .student(let student) = entry else { return entry }
            return .student(student.asOf(day))
        })
    }
}

extension ClassDocument {
    /// The document as it stood on `day`; see ``Roster/asOf(_:)``.
    ///
    /// - Parameter day: the day to look back to.
    /// - Returns: the document as of `day`.
    package func asOf(_ day: SchoolDay) -> ClassDocument {
        var context = self.context
        context.asOf = day.text
        return ClassDocument(context: context, students: students.map { $0.asOf(day) })
    }
}

extension Student {
    func asOf(_ day: SchoolDay) -> Student {
        var student = self
        student.skills = skills.map { $0.asOf(day) }
        student.work = work.filter { isOnOrBefore($0.due, day) }
        student.selfAssessments = selfAssessments.filter { isOnOrBefore($0.date, day) }
        return student
    }
}

extension Skill {
    func asOf(_ day: SchoolDay) -> Skill {
        var skill = self
        skill.sessions = sessions.filter { isOnOrBefore($0.date, day) }
        if skill.sessions.count != sessions.count {
            skill.promptLevel = nil
            skill.stage = nil
        }
        return skill
    }
}

private func isOnOrBefore(_ date: String?, _ day: SchoolDay) -> Bool {
    guard let dated = SchoolDay(dayOf: date) else { return false }
    return dated <= day
}
