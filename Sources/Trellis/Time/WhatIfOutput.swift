/// How `trellis diff` writes its changes.
extension WhatIf {
    /// `{ "changes": [...], "summary": { "students": N, "changes": M } }`, where each change is
    /// `{ "student", "skill", "kind", "before", "after" }` and `before` / `after` are
    /// `{ "action", "from", "to", "rule", "reason" }` (with `options`, their ids, for a menu) or `null`.
    ///
    /// - Parameter changes: the changes, as ``changes(before:after:)`` lists them.
    /// - Returns: the document, indented, with a final line break.
    package static func json(_ changes: [RecommendationChange]) -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("changes")
        writer.beginArray()
        for change in changes {
            writer.beginObject()
            writer.key("student")
            writer.string(change.student)
            writer.member("skill", orNull: change.skill)
            writer.key("kind")
            writer.string(change.kind)
            writer.key("before")
            side(change.before, to: &writer)
            writer.key("after")
            side(change.after, to: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.key("summary")
        writer.beginObject()
        writer.key("students")
        writer.integer(studentCount(changes))
        writer.key("changes")
        writer.integer(changes.count)
        writer.endObject()
        writer.endObject()
        return writer.output + "\n"
    }

    static func side(_ recommendation: Recommendation?, to writer: inout JSONWriter) {
        guard let recommendation else {
            writer.null()
            return
        }
        writer.beginObject()
        writer.key("action")
        writer.string(recommendation.action)
        writer.member("from", orNull: recommendation.from)
        writer.member("to", orNull: recommendation.to)
        writer.key("rule")
        writer.string(recommendation.rule)
        writer.key("reason")
        writer.string(recommendation.reason)
        if let options = recommendation.options {
            writer.key("options")
            writer.beginArray()
            for option in options { writer.string(option.id) }
            writer.endArray()
        }
        writer.endObject()
    }

    /// A header and a row for each change, each side's action, from, to, options (ids joined by
    /// `;`), rule and reason; cells a spreadsheet would run as a formula are guarded.
    ///
    /// - Parameter changes: the changes, as ``changes(before:after:)`` lists them.
    /// - Returns: the CSV text.
    package static func csv(_ changes: [RecommendationChange]) -> String {
        let sideColumns = ["action", "from", "to", "options", "rule", "reason"]
        var text = ""
        ReportCSV.append(["student", "skill", "kind"] + sideColumns.map { "before_" + $0 } + sideColumns.map { "after_" + $0 }, to: &text)
        for change in changes {
            ReportCSV.append([change.student, change.skill ?? "", change.kind] + cells(change.before) + cells(change.after), to: &text)
        }
        return text
    }

    private static func cells(_ recommendation: Recommendation?) -> [String] {
        guard let recommendation else { return Array(repeating: "", count: 6) }
        return [
            recommendation.action, recommendation.from ?? "", recommendation.to ?? "",
            recommendation.options?.map(\.id).joined(separator: ";") ?? "", recommendation.rule, recommendation.reason,
        ]
    }

    /// For a terminal: each change as the student, skill and kind, then what each setup decides
    /// and why; a line of counts at the end. Text from the input and the rules is escaped.
    ///
    /// - Parameter changes: the changes, as ``changes(before:after:)`` lists them.
    /// - Returns: the text, with a final line break.
    package static func table(_ changes: [RecommendationChange]) -> String {
        var text = ""
        for change in changes {
            text += TerminalText.escaped("\(change.student)  \(change.skill ?? "-")  \(change.kind)") + "\n"
            text += "  before: " + describe(change.before) + "\n"
            text += "  after:  " + describe(change.after) + "\n"
        }
        let students = studentCount(changes)
        text += "\(changes.count) \(changes.count == 1 ? "change" : "changes") for \(students) \(students == 1 ? "student" : "students")\n"
        return text
    }

    static func describe(_ recommendation: Recommendation?) -> String {
        guard let recommendation else { return "nothing" }
        var change = ReportTable.change(recommendation)
        if let options = recommendation.options { change = options.map(\.id).joined(separator: ", ") }
        return TerminalText.escaped("\(recommendation.action) \(change) (\(recommendation.rule)): \(recommendation.reason)")
    }
}
