import Foundation

/// A table for people: a block per student headed by their name and id, a row per
/// recommendation or note (the decision with its change below it, the reason wrapped to fit
/// `width` columns, a menu's options listed by title), then the class-level recommendations,
/// the errors and a summary line.
enum ReportTable {
    static func render(_ report: EvaluationReport, options: ReportOptions = ReportOptions()) -> String {
        let filter = options.filter
        var names: [String: String] = [:]
        for result in report.results { if let name = result.name { names[result.student] = name } }
        var blocks: [(title: String, rows: [Row])] = []
        for result in report.results {
            var rows = result.recommendations.filter(filter.includes).map { Row($0, names: names, isClassLevel: false) }
            if filter.includesNotes { rows += result.notes.map(Row.init(note:)) }
            if rows.isEmpty && filter == .everything { rows.append(Row(skill: "-", decision: ["-"], reason: ["no recommendations"])) }
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
        let plans = all.filter { ReportCategory($0) == .plan }.count
        let notes = report.results.reduce(0) { $0 + $1.notes.count } + (report.classResult?.notes.count ?? 0)
        let forClass = summary.classRecommendations > 0 ? ", \(summary.classRecommendations) for the class" : ""
        let planText = plans > 0 ? "\(plans) plans, " : ""
        let line = "\(summary.students) students, \(summary.recommendations) recommendations\(forClass) (\(actions) actions, \(planText)\(holds) holds, "
            + "\(menus) menus), \(notes) notes, \(summary.failed) with errors (as of \(TerminalText.escaped(report.asOf)))"
        text += "\n" + wrap(line, width: max(options.width, 60)).joined(separator: "\n") + "\n"
        return text
    }

    /// `Maya R. (s-101)`, or the id alone.
    static func who(_ id: String, _ names: [String: String]) -> String {
        names[id].map { "\($0) (\(id))" } ?? id
    }

    struct Row {
        var skill: String
        /// `prompt fade`, then the change (`gestural -> verbal`) when there is one.
        var decision: [String]
        /// Paragraphs: the reason, then a menu's options.
        var reason: [String]

        init(skill: String, decision: [String], reason: [String]) {
            self.skill = skill
            self.decision = decision
            self.reason = reason
        }

        init(_ recommendation: Recommendation, names: [String: String], isClassLevel: Bool) {
            skill = recommendation.skill.flatMap { $0.isEmpty ? nil : $0 } ?? "-"
            let change = ReportTable.change(recommendation)
            decision = ["\(recommendation.kind) \(recommendation.action)"] + (change == "-" ? [] : [change])
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
            decision = ["note"]
            reason = ["\(note.rule): \(note.message)"]
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

    /// The skill and decision columns sized to their content up to a cap each (a longer cell
    /// wraps); the reason takes the rest of the width and wraps.
    private static func layout(_ blocks: [(title: String, rows: [Row])], width: Int) -> String {
        let rows = blocks.flatMap(\.rows)
        let indent = 2
        let gap = "  "
        let skillWidth = min(20, max(5, rows.map(\.skill.count).max() ?? 0))
        let decisionWidth = min(28, max(8, rows.flatMap(\.decision).map(\.count).max() ?? 0))
        let reasonWidth = max(30, width - indent - skillWidth - decisionWidth - 2 * gap.count)
        var lines = [pad("STUDENT / SKILL", indent + skillWidth) + gap + pad("DECISION", decisionWidth) + gap + "REASON"]
        for block in blocks {
            lines.append(TerminalText.escaped(block.title))
            for row in block.rows {
                let skill = wrap(row.skill, width: skillWidth)
                let decision = row.decision.flatMap { wrap($0, width: decisionWidth) }
                var reason: [String] = []
                for (index, paragraph) in row.reason.enumerated() {
                    let wrapped = wrap(paragraph, width: index == 0 ? reasonWidth : reasonWidth - 2)
                    reason += index == 0 ? wrapped : wrapped.enumerated().map { $0.offset == 0 ? $0.element : "  " + $0.element }
                }
                for line in 0..<max(skill.count, decision.count, reason.count) {
                    var text = String(repeating: " ", count: indent) + pad(line < skill.count ? skill[line] : "", skillWidth) + gap
                        + pad(line < decision.count ? decision[line] : "", decisionWidth) + gap + (line < reason.count ? reason[line] : "")
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
        let spaced = text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" })
            ? String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" ? " " : $0 }) : text
        // Every cell is text from a rule or an input: shown, never acted on by the terminal.
        let text = TerminalText.escaped(spaced)
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
