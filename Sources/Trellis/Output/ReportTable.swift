import Foundation

/// A table for people: a block per student headed by their name and id, a line per
/// recommendation or note (reasons wrapped to fit `width` columns, a menu's options listed by
/// title), then the class-level recommendations, the errors and a summary line.
enum ReportTable {
    static func render(_ report: EvaluationReport, options: ReportOptions = ReportOptions()) -> String {
        let filter = options.filter
        var names: [String: String] = [:]
        for result in report.results { if let name = result.name { names[result.student] = name } }
        var blocks: [(title: String, rows: [Row])] = []
        for result in report.results {
            var rows = result.recommendations.filter(filter.includes).map { Row($0, names: names, isClassLevel: false) }
            if filter.includesNotes { rows += result.notes.map(Row.init(note:)) }
            if rows.isEmpty && filter == .everything { rows.append(Row(skill: "-", decision: "-", change: "-", reason: ["no recommendations"])) }
            if !rows.isEmpty { blocks.append((who(result.student, names), rows)) }
        }
        if let classResult = report.classResult {
            var rows = classResult.recommendations.filter(filter.includes).map { Row($0, names: names, isClassLevel: true) }
            if filter.includesNotes { rows += classResult.notes.map(Row.init(note:)) }
            if !rows.isEmpty { blocks.append(("Class", rows)) }
        }
        var text = layout(blocks, width: max(options.width, 60))
        let issues = report.issues
        if !issues.isEmpty {
            text += "\nErrors:\n" + issues.map { "  " + $0.description }.joined(separator: "\n") + "\n"
        }
        let summary = report.summary
        let all = report.results.flatMap(\.recommendations) + (report.classResult?.recommendations ?? [])
        let actions = all.filter { ReportCategory($0) == .action }.count
        let holds = all.filter { ReportCategory($0) == .hold }.count
        let menus = all.filter { ReportCategory($0) == .menu }.count
        let notes = report.results.reduce(0) { $0 + $1.notes.count } + (report.classResult?.notes.count ?? 0)
        let forClass = summary.classRecommendations > 0 ? ", \(summary.classRecommendations) for the class" : ""
        text += "\n\(summary.students) students, \(summary.recommendations) recommendations\(forClass) (\(actions) actions, \(holds) holds, "
        text += "\(menus) menus), \(notes) notes, \(summary.failed) with errors (as of \(report.asOf))\n"
        return text
    }

    /// `Maya R. (s-101)`, or the id alone.
    static func who(_ id: String, _ names: [String: String]) -> String {
        names[id].map { "\($0) (\(id))" } ?? id
    }

    struct Row {
        var skill: String
        var decision: String
        var change: String
        /// Paragraphs: the reason, then a menu's options.
        var reason: [String]

        init(skill: String, decision: String, change: String, reason: [String]) {
            self.skill = skill
            self.decision = decision
            self.change = change
            self.reason = reason
        }

        init(_ recommendation: Recommendation, names: [String: String], isClassLevel: Bool) {
            skill = recommendation.skill.flatMap { $0.isEmpty ? nil : $0 } ?? "-"
            decision = "\(recommendation.kind) \(recommendation.action)"
            change = ReportTable.change(recommendation)
            var reason = recommendation.reason
            if isClassLevel {
                let ids = ReportItem.classLevel(recommendation).studentIDs
                if !ids.isEmpty, !ids.allSatisfy(reason.contains) {
                    reason = ids.map { ReportTable.who($0, names) }.joined(separator: " + ") + ": " + reason
                }
            }
            self.reason = [reason] + (recommendation.options ?? []).map { option in
                var about = [option.id]
                if let modality = option.modality { about.append(modality) }
                return "- \(option.title ?? option.id) (\(about.joined(separator: ", ")))"
            }
        }

        init(note: RuleNote) {
            skill = note.skill.flatMap { $0.isEmpty ? nil : $0 } ?? "-"
            decision = "note"
            change = "-"
            reason = ["\(note.rule) decided nothing: \(note.message)"]
        }
    }

    /// `gestural -> verbal`, the number of options, or the level held at.
    static func change(_ recommendation: Recommendation) -> String {
        if let options = recommendation.options { return options.count == 1 ? "1 option" : "\(options.count) options" }
        switch (recommendation.from, recommendation.to) {
        case (let from?, let to?): return "\(from) -> \(to)"
        case (let from?, nil): return from
        case (nil, let to?): return "-> \(to)"
        case (nil, nil):
            if let delay = recommendation.extra["delay_to"]?.doubleValue { return "delay -> \(JSONText.number(delay)) s" }
            return "-"
        }
    }

    /// Columns sized to their content up to a cap each; the reason takes the rest of the width
    /// and wraps; a cell wider than its cap wraps too.
    private static func layout(_ blocks: [(title: String, rows: [Row])], width: Int) -> String {
        let rows = blocks.flatMap(\.rows)
        let indent = 2
        let gap = 2
        let skillWidth = min(22, max(5, rows.map(\.skill.count).max() ?? 0))
        let decisionWidth = min(26, max(8, rows.map(\.decision.count).max() ?? 0))
        let changeWidth = min(26, max(6, rows.map(\.change.count).max() ?? 0))
        let reasonWidth = max(30, width - indent - skillWidth - decisionWidth - changeWidth - 3 * gap)
        let header = pad("STUDENT / SKILL", indent + skillWidth) + String(repeating: " ", count: gap) + pad("DECISION", decisionWidth)
            + String(repeating: " ", count: gap) + pad("CHANGE", changeWidth) + String(repeating: " ", count: gap) + "REASON"
        var lines = [header]
        for block in blocks {
            lines.append(block.title)
            for row in block.rows {
                let skill = wrap(row.skill, width: skillWidth)
                let decision = wrap(row.decision, width: decisionWidth)
                let change = wrap(row.change, width: changeWidth)
                var reason: [String] = []
                for (index, paragraph) in row.reason.enumerated() {
                    let wrapped = wrap(paragraph, width: index == 0 ? reasonWidth : reasonWidth - 2)
                    reason += index == 0 ? wrapped : wrapped.enumerated().map { $0.offset == 0 ? $0.element : "  " + $0.element }
                }
                for line in 0..<max(skill.count, decision.count, change.count, reason.count) {
                    let cells = [
                        String(repeating: " ", count: indent) + pad(line < skill.count ? skill[line] : "", skillWidth),
                        pad(line < decision.count ? decision[line] : "", decisionWidth),
                        pad(line < change.count ? change[line] : "", changeWidth),
                        line < reason.count ? reason[line] : "",
                    ]
                    var text = cells.joined(separator: String(repeating: " ", count: gap))
                    while text.hasSuffix(" ") { text.removeLast() }
                    lines.append(text)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Words to lines of at most `width` characters; a word longer than that is cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        // A line break inside a cell would break the columns: it is a space here.
        let text = text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" })
            ? String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" ? " " : $0 }) : text
        guard text.count > width else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            while word.count > width {
                if !line.isEmpty {
                    lines.append(line)
                    line = ""
                }
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
