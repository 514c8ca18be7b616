/// Section 6: what the rules could not decide (their notes), the rules that failed, and the
/// student records left out for bad data, in plain words.
enum UndecidedWords {
    static func note(_ note: RuleNote, student: String? = nil) -> String {
        var text = student.map { "\($0): " } ?? ""
        if let skill = note.skill, !skill.isEmpty { text += "\(skill): " }
        return text + "\(note.rule) could not decide: \(note.message)"
    }

    static func error(_ issue: TrellisIssue, student: String? = nil) -> String {
        var text = "The rule \(issue.rule ?? "(unknown)") failed"
        if let student { text += " for \(student)" }
        text += ": \(issue.message)"
        if let location = issue.location { text += " (\(location))" }
        return text + ". Its other decisions stand; ask the rule's author to look at it."
    }

    static func skipped(_ entry: ReportModel.SkippedEntry) -> String {
        let who = entry.studentID.map { "The record of \($0)" } ?? "A student record"
        let problems = entry.issues.map { issue in
            var text = issue.path.map { "\($0): " } ?? ""
            text += issue.message
            if let location = issue.location { text += " (\(location))" }
            return text
        }
        return "\(who) was left out, so nothing was decided for it: " + problems.joined(separator: "; ") + ". Fix the data and run the report again."
    }
}

extension ReportModel {
    /// Notes, errors and skipped records, all together, without the notes about a skill that
    /// another rule decided.
    var undecidedCount: Int {
        students.reduce(0) { $0 + $1.missingDataNotes.count + $1.result.errors.count } + skipped.count
            + (classResult.map { $0.notes.count + $0.errors.count } ?? 0)
    }

    /// Notes about a skill that another rule decided: left out of "Missing data".
    var decidedElsewhereCount: Int {
        students.reduce(0) { $0 + $1.result.notes.count - $1.missingDataNotes.count }
    }
}

extension ReportModel.StudentEntry {
    /// The notes that leave something undecided. A skill taught with prompt levels has no stage,
    /// and one taught in stages no prompt level: the other rule's "no stage recorded" is not
    /// missing data when the skill got its prompt or scaffold decision.
    var missingDataNotes: [RuleNote] {
        result.notes.filter { note in
            guard let skill = note.skill, !skill.isEmpty else { return true }
            return !result.recommendations.contains { $0.skill == skill && $0.rule != note.rule && ($0.kind == "prompt" || $0.kind == "scaffold") }
        }
    }
}

extension ReportRenderer {
    mutating func renderUndecided() {
        html += "<section class=\"page\" id=\"undecided\" aria-labelledby=\"undecided-h\"><h2 id=\"undecided-h\">What could not be decided</h2>"
        guard model.undecidedCount > 0 else {
            html += "<p class=\"empty-note\">Everything was decided: no rule lacked data, no rule failed, no record was left out.</p>"
            renderDecidedElsewhere()
            html += "</section>"
            return
        }
        if !model.skipped.isEmpty {
            html += "<h3>Records left out</h3><ul class=\"plain undecided\">"
            for entry in model.skipped { html += "<li class=\"error\">\(HTMLText.escape(UndecidedWords.skipped(entry)))</li>" }
            html += "</ul>"
        }
        let withErrors = model.students.filter { !$0.result.errors.isEmpty }
        let classErrors = model.classResult?.errors ?? []
        if !withErrors.isEmpty || !classErrors.isEmpty {
            html += "<h3>Rules that failed</h3><ul class=\"plain undecided\">"
            for entry in withErrors {
                for error in entry.result.errors { html += "<li class=\"error\">\(HTMLText.escape(UndecidedWords.error(error, student: entry.name)))</li>" }
            }
            for error in classErrors { html += "<li class=\"error\">\(HTMLText.escape(UndecidedWords.error(error, student: "the whole class")))</li>" }
            html += "</ul>"
        }
        let withNotes = model.students.filter { !$0.missingDataNotes.isEmpty }
        let classNotes = model.classResult?.notes ?? []
        if !withNotes.isEmpty || !classNotes.isEmpty {
            html += "<h3>Missing data</h3><p class=\"lede\">A rule that lacks the data it needs decides nothing and says why. Record what is missing and the next report decides.</p>"
            html += "<ul class=\"plain undecided\">"
            for entry in withNotes {
                for note in entry.missingDataNotes {
                    html += "<li><a href=\"#\(entry.anchor)\">\(HTMLText.escape(entry.name))</a>: \(HTMLText.escape(UndecidedWords.note(note)))</li>"
                }
            }
            for note in classNotes { html += "<li>Whole class: \(HTMLText.escape(UndecidedWords.note(note)))</li>" }
            html += "</ul>"
        }
        renderDecidedElsewhere()
        html += "</section>"
    }

    private mutating func renderDecidedElsewhere() {
        let elsewhere = model.decidedElsewhereCount
        guard elsewhere > 0 else { return }
        html += "<p class=\"lede\">Not listed: \(elsewhere) \(elsewhere == 1 ? "note" : "notes") of a rule about a skill that another rule decided (a skill taught with prompt levels has no stage, and one taught in stages no prompt level); <code>trellis explain</code> shows them.</p>"
    }
}
