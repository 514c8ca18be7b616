/// The contract's output (section 2) as JSON: the whole document, or one result a line.
enum ReportJSON {
    /// The version of the output contract written.
    static let contractVersion = 1

    static func document(_ report: EvaluationReport, pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.beginObject()
        writer.key("trellis")
        writer.integer(contractVersion)
        writer.member("as_of", report.asOf)
        writer.key("results")
        writer.beginArray()
        for result in report.results { write(result, to: &writer) }
        writer.endArray()
        writer.key("errors")
        writer.beginArray()
        for issue in report.inputIssues { write(issue, to: &writer) }
        writer.endArray()
        if let classResult = report.classResult {
            writer.key("class")
            write(classResult, to: &writer)
        }
        writer.key("summary")
        write(report.summary, to: &writer)
        writer.endObject()
        return writer.output + "\n"
    }

    /// One line: a results entry, or for a skipped student `{"student", "skipped": true, ...}`.
    static func line(_ outcome: StudentOutcome) -> String {
        var writer = JSONWriter(pretty: false)
        writeLine(outcome, to: &writer)
        return writer.output
    }

    /// Writes ``line(_:)``'s text, its newline included.
    static func writeLine(_ outcome: StudentOutcome, to writer: inout JSONWriter) {
        switch outcome {
        case .evaluated(let result): write(result, to: &writer)
        case .skipped(let id, let issues):
            writer.beginObject()
            writer.member("student", orNull: id)
            writer.key("skipped")
            writer.bool(true)
            writer.key("recommendations")
            writer.beginArray()
            writer.endArray()
            writer.key("errors")
            writer.beginArray()
            for issue in issues { write(issue, to: &writer) }
            writer.endArray()
            writer.endObject()
        }
        writer.newlineAfterDocument()
    }

    /// The class-level section: `{"recommendations": [...], "errors": [...], "notes": [...]}`.
    static func write(_ result: ClassResult, to writer: inout JSONWriter) {
        writer.beginObject()
        writeMembers(recommendations: result.recommendations, errors: result.errors, notes: result.notes, to: &writer)
        writer.endObject()
    }

    /// `recommendations` and `errors` always, `notes` when there are any: shared by a student's
    /// result and the class's.
    private static func writeMembers(recommendations: [Recommendation], errors: [TrellisIssue], notes: [RuleNote], to writer: inout JSONWriter) {
        writer.key("recommendations")
        writer.beginArray()
        for recommendation in recommendations { write(recommendation, to: &writer) }
        writer.endArray()
        writeErrorsAndNotes(errors: errors, notes: notes, to: &writer)
    }

    /// What follows the recommendations in a student's result or the class section.
    static func writeErrorsAndNotes(errors: [TrellisIssue], notes: [RuleNote], to writer: inout JSONWriter) {
        writer.key("errors")
        writer.beginArray()
        for issue in errors { write(issue, to: &writer) }
        writer.endArray()
        if !notes.isEmpty {
            writer.key("notes")
            writer.beginArray()
            for note in notes { write(note, to: &writer) }
            writer.endArray()
        }
    }

    /// The last line of an NDJSON report when the pack has class-level rules: `{"class": {...}}`.
    static func classLine(_ result: ClassResult) -> String {
        var writer = JSONWriter(pretty: false)
        writeClassLine(result, to: &writer)
        return writer.output
    }

    /// Writes ``classLine(_:)``'s text, its newline included.
    static func writeClassLine(_ result: ClassResult, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("class")
        write(result, to: &writer)
        writer.endObject()
        writer.newlineAfterDocument()
    }

    static func write(_ note: RuleNote, to writer: inout JSONWriter) {
        writer.object(["skill": note.skill, "rule": note.rule, "message": note.message])
    }

    static func write(_ result: StudentResult, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("student", result.student)
        writer.member("name", result.name)
        writeMembers(recommendations: result.recommendations, errors: result.errors, notes: result.notes, to: &writer)
        if !result.overridden.isEmpty {
            writer.key("overridden")
            writer.beginArray()
            for loser in result.overridden { write(loser.recommendation, overriddenBy: loser.overriddenBy, to: &writer) }
            writer.endArray()
        }
        writer.endObject()
    }

    static func write(_ recommendation: Recommendation, overriddenBy: String? = nil, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.members(["skill": recommendation.skill, "kind": recommendation.kind, "action": recommendation.action, "from": recommendation.from, "to": recommendation.to])
        if let options = recommendation.options {
            writer.key("options")
            write(options, to: &writer)
        }
        writer.member("rule", recommendation.rule)
        writer.key("priority")
        writer.number(recommendation.priority)
        writer.member("reason", recommendation.reason)
        writer.member("evidence", recommendation.evidence)
        writer.members(sortedByKey: recommendation.extra)
        writer.member("overridden_by", overriddenBy)
        writer.endObject()
    }

    /// A menu's options: `[{"id", "title", "modality"}]`.
    static func write(_ options: [MenuOption], to writer: inout JSONWriter) {
        writer.beginArray()
        for option in options { writer.object(["id": option.id, "title": option.title, "modality": option.modality]) }
        writer.endArray()
    }

    static func write(_ issue: TrellisIssue, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("student", orNull: issue.student)
        writer.members([
            "rule": issue.rule, "skill": issue.skill, "kind": issue.kind.rawValue, "message": issue.message, "location": issue.location, "path": issue.path,
        ])
        writer.endObject()
    }

    static func write(_ summary: EvaluationSummary, to writer: inout JSONWriter) {
        writer.beginObject()
        for (name, value) in [
            ("students", summary.students), ("recommendations", summary.recommendations), ("failed", summary.failed),
            ("skipped", summary.skipped), ("errors", summary.errors),
        ] {
            writer.key(name)
            writer.integer(value)
        }
        writer.key("class_recommendations")
        writer.integer(summary.classRecommendations)
        writer.key("by_kind")
        writer.value(.object(summary.byKindAndAction.mapValues { .object($0.mapValues { .integer(Int64($0)) }) }))
        writer.endObject()
    }
}
