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
    /// Notes, errors and skipped records, all together.
    var undecidedCount: Int {
        students.reduce(0) { $0 + $1.result.notes.count + $1.result.errors.count } + skipped.count
            + (classResult.map { $0.notes.count + $0.errors.count } ?? 0)
    }
}

extension ReportRenderer {
    mutating func renderUndecided() {
        html += "<section class=\"page\" id=\"undecided\" aria-labelledby=\"undecided-h\"><h2 id=\"undecided-h\">What could not be decided</h2>"
        guard model.undecidedCount > 0 else {
            html += "<p class=\"empty-note\">Everything was decided: no rule lacked data, no rule failed, no record was left out.</p></section>"
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
        let withNotes = model.students.filter { !$0.result.notes.isEmpty }
        let classNotes = model.classResult?.notes ?? []
        if !withNotes.isEmpty || !classNotes.isEmpty {
            html += "<h3>Missing data</h3><p class=\"lede\">A rule that lacks the data it needs decides nothing and says why. Record what is missing and the next report decides.</p>"
            html += "<ul class=\"plain undecided\">"
            for entry in withNotes {
                for note in entry.result.notes {
                    html += "<li><a href=\"#\(entry.anchor)\">\(HTMLText.escape(entry.name))</a>: \(HTMLText.escape(UndecidedWords.note(note)))</li>"
                }
            }
            for note in classNotes { html += "<li>Whole class: \(HTMLText.escape(UndecidedWords.note(note)))</li>" }
            html += "</ul>"
        }
        html += "</section>"
    }
}
