/// How `trellis history` writes a timeline.
extension HistoryTimeline {
    /// `{ "history", "student", "skill", "runs": [...] }`: each run with its number, when it was
    /// recorded, the command, `as_of` (the `--as-of` day or null), `evaluated_as_of`, `class`, the
    /// Trellis version, the three digests, its counts, `previous_run` (the number of the class's
    /// run before it, or null) and `recommendations`: `{ "student", "skill", "kind", "status"
    /// (new, changed, gone, same), "recommendation", "previous" }`, the last two as `trellis diff`
    /// writes a side (`action`, `from`, `to`, `rule`, `reason`, and `options` ids for a menu) or null.
    ///
    /// - Returns: the document, indented, with a final line break.
    package func json() -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.member("history", path)
        writer.member("student", orNull: student)
        writer.member("skill", orNull: skill)
        writer.key("runs")
        writer.beginArray()
        for step in steps {
            let run = step.run
            writer.beginObject()
            writer.key("run")
            writer.integer(Int(run.id))
            for (name, value) in [("recorded_at", run.recordedAt), ("command", run.command)] { writer.member(name, value) }
            writer.member("as_of", orNull: run.asOf)
            for (name, value) in [
                ("evaluated_as_of", run.evaluatedAsOf), ("class", run.classKey), ("trellis_version", run.trellisVersion),
                ("input_sha256", run.inputSHA256), ("rule_pack_sha256", run.rulePackSHA256),
            ] {
                writer.member(name, value)
            }
            writer.member("configuration_sha256", orNull: run.configurationSHA256)
            for (name, value) in [("students", run.students), ("skipped", run.skipped), ("errors", run.errors)] {
                writer.key(name)
                writer.integer(value)
            }
            writer.key("previous_run")
            if let previous = step.previousRunID { writer.integer(Int(previous)) } else { writer.null() }
            writer.key("recommendations")
            writer.beginArray()
            for entry in step.entries {
                writer.beginObject()
                writer.member("student", entry.student)
                writer.member("skill", orNull: entry.skill)
                writer.member("kind", entry.kind)
                writer.member("status", entry.status.rawValue)
                writer.key("recommendation")
                WhatIf.side(entry.recommendation, to: &writer)
                writer.key("previous")
                WhatIf.side(entry.previous, to: &writer)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }

    /// For a coordinator at a terminal: a heading per run (its number, when, the command, the day
    /// its recommendations were for, the class, and which of the day, input, rules and
    /// configuration differ from the class's previous run), then each recommendation with what changed.
    /// Unchanged ones are counted, not listed, unless a student or skill was asked for. Text
    /// from the input and the rules is escaped.
    ///
    /// - Returns: the text, with a final line break.
    package func table() -> String {
        var text = ""
        var previousRuns: [Int64: RecordedRun] = [:]
        let focused = student != nil || skill != nil
        if steps.isEmpty { text += TerminalText.escaped("\(path): no run recorded yet") + "\n" }
        for step in steps {
            let run = step.run
            var heading = "run \(run.id)  \(run.recordedAt)  \(run.command)  for \(run.evaluatedAsOf)"
            if run.asOf != nil { heading += " (--as-of)" }
            heading += "  class \(run.classKey.isEmpty ? "(none named)" : run.classKey)"
            text += TerminalText.escaped(heading) + "\n"
            if let previousID = step.previousRunID, let previous = previousRuns[previousID] {
                var differing: [String] = []
                if previous.evaluatedAsOf != run.evaluatedAsOf { differing.append("day") }
                if previous.inputSHA256 != run.inputSHA256 { differing.append("input") }
                if previous.rulePackSHA256 != run.rulePackSHA256 { differing.append("rules") }
                if previous.configurationSHA256 != run.configurationSHA256 { differing.append("configuration") }
                text += "  since run \(previousID): " + (differing.isEmpty ? "same day, input, rules and configuration" : differing.joined(separator: ", ") + " changed") + "\n"
            } else {
                text += "  first run of this class\n"
            }
            var unchanged = 0
            for entry in step.entries {
                if entry.status == .same && !focused {
                    unchanged += 1
                    continue
                }
                let label = entry.status.rawValue + String(repeating: " ", count: max(1, 8 - entry.status.rawValue.count))
                text += "  " + label + TerminalText.escaped("\(entry.student)  \(entry.skill ?? "-")  \(entry.kind)") + "\n"
                switch entry.status {
                case .new, .same: text += "          " + WhatIf.describe(entry.recommendation) + "\n"
                case .gone: text += "          was: " + WhatIf.describe(entry.previous) + "\n"
                case .changed:
                    text += "          was: " + WhatIf.describe(entry.previous) + "\n"
                    text += "          now: " + WhatIf.describe(entry.recommendation) + "\n"
                }
            }
            if unchanged > 0 { text += "  \(unchanged) unchanged\n" }
            if step.entries.isEmpty { text += "  no recommendation" + (focused ? " for this student and skill" : "") + "\n" }
            previousRuns[run.id] = run
        }
        return text
    }
}
