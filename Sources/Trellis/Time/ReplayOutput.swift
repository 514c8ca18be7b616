/// How `trellis replay` writes what it found.
extension Replay {
    /// `{ "days": D, "decisions": [...], "summary": { RULE: { ACTION: counts } } }`: each decision
    /// with `day`, `student`, `skill`, `kind`, `action`, `from`, `to`, `rule`, `followed` (true,
    /// false or null) and `outcome` (`held`, `regressed`, `open` or null); the counts are
    /// `decisions`, `followed`, `held`, `regressed` and `open`, rules and actions in sorted order.
    ///
    /// - Returns: the document, indented, with a final line break.
    package func json() -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("days")
        writer.integer(days.count)
        writer.key("decisions")
        writer.beginArray()
        for decision in decisions {
            writer.beginObject()
            for (name, value) in [
                ("day", decision.day), ("student", decision.student), ("skill", decision.skill), ("kind", decision.kind),
                ("action", decision.action),
            ] {
                writer.key(name)
                writer.string(value)
            }
            writer.member("from", orNull: decision.from)
            writer.member("to", orNull: decision.to)
            writer.key("rule")
            writer.string(decision.rule)
            writer.key("followed")
            if let followed = decision.followed { writer.bool(followed) } else { writer.null() }
            writer.key("outcome")
            if let outcome = decision.outcome { writer.string(outcome.rawValue) } else { writer.null() }
            writer.endObject()
        }
        writer.endArray()
        writer.key("summary")
        writer.beginObject()
        let summary = self.summary
        for rule in summary.keys.sorted() {
            writer.key(rule)
            writer.beginObject()
            let actions = summary[rule, default: [:]]
            for action in actions.keys.sorted() {
                let count = actions[action, default: ReplayCount()]
                writer.key(action)
                writer.beginObject()
                for (name, value) in [
                    ("decisions", count.decisions), ("followed", count.followed), ("held", count.held), ("regressed", count.regressed),
                    ("open", count.open),
                ] {
                    writer.key(name)
                    writer.integer(value)
                }
                writer.endObject()
            }
            writer.endObject()
        }
        writer.endObject()
        writer.endObject()
        return writer.output + "\n"
    }

    /// For a terminal: a line per decision, then for each rule and action the counts and the
    /// regression rate, regressed / (held + regressed). Text from the input and the rules is escaped.
    ///
    /// - Returns: the text, with a final line break.
    package func table() -> String {
        var text = "\(days.count) \(days.count == 1 ? "day" : "days")"
        if let first = days.first, let last = days.last { text += " (\(first) to \(last))" }
        text += ", \(decisions.count) \(decisions.count == 1 ? "decision" : "decisions")\n"
        for decision in decisions {
            let followed = decision.followed.map { $0 ? "followed" : "not followed" } ?? (decision.action == "mastered" ? "-" : "unknown")
            let change: [String?] = [decision.action, decision.from, decision.to.map { "-> " + $0 }]
            var columns = [decision.day, decision.student, decision.skill, decision.kind, change.compactMap { $0 }.joined(separator: " "), decision.rule, followed]
            if let outcome = decision.outcome { columns.append(outcome.rawValue) }
            let line = columns.joined(separator: "  ")
            text += "  " + TerminalText.escaped(line) + "\n"
        }
        let summary = self.summary
        for rule in summary.keys.sorted() {
            let actions = summary[rule, default: [:]]
            for action in actions.keys.sorted() {
                let count = actions[action, default: ReplayCount()]
                var line = "\(rule) \(action): \(count.decisions) decided, \(count.followed) followed"
                if action == "fade" || action == "advance" {
                    line += ", \(count.held) held, \(count.regressed) regressed, \(count.open) open"
                    if let rate = count.regressionRate { line += ", regression rate \(Int((rate * 100).rounded()))%" }
                }
                text += TerminalText.escaped(line) + "\n"
            }
        }
        return text
    }
}
