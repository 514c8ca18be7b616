import Foundation

/// "Nothing is decided on a hole": the skills of a student whose data is incomplete
/// (`Student.incomplete`) are taken out of what the rules see and reported instead of decided.
extension Student {
    /// The student as the rules see it: without its incomplete skills, nor the work items and
    /// self-assessments of those skills. The student itself when nothing is incomplete.
    var decidable: Student {
        guard !incomplete.isEmpty else { return self }
        let held = Set(incomplete.map(\.skill))
        var view = self
        view.skills.removeAll { held.contains($0.id) }
        view.work.removeAll { item in item.skill.map(held.contains) ?? false }
        view.selfAssessments.removeAll { assessment in assessment.skill.map(held.contains) ?? false }
        view.incomplete = []
        return view
    }

    /// One `undecided_skill` error for each hole, naming the skill and where its data was lost.
    var undecidedSkillIssues: [TrellisIssue] {
        incomplete.map { entry in
            var message = "\(entry.skill) is not decided: \(entry.message)"
            if let text = entry.text, !entry.message.contains(text) { message += " (the cell holds \(JSONValue.string(text).briefDescription))" }
            return TrellisIssue(kind: .undecidedSkill, student: id, skill: entry.skill, message: message, location: entry.location, path: entry.path)
        }
    }
}

extension StudentResult {
    /// Withholds whatever names one of `student`'s incomplete skills (a rule may name a skill it
    /// was not shown, from the catalog) and adds the errors that say why.
    mutating func withholdIncompleteSkills(of student: Student) {
        guard !student.incomplete.isEmpty else { return }
        let held = Set(student.incomplete.map(\.skill))
        func isHeld(_ skill: String?) -> Bool { skill.map(held.contains) ?? false }
        recommendations.removeAll { isHeld($0.skill) }
        overridden.removeAll { isHeld($0.recommendation.skill) }
        notes.removeAll { isHeld($0.skill) }
        errors += student.undecidedSkillIssues
    }
}
