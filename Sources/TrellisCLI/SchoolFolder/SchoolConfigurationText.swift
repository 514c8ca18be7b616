import Foundation
import Trellis

/// The `school.yaml` that `trellis init` writes: every setting of every rule in the pack, each at
/// its default and commented out, with the rule's and the parameter's own descriptions.
///
/// Written from the rules' declarations, so it lists what the binary's rules really take. Each
/// setting line is commented as `#key: value` at its own indentation, and each explanation as
/// `# text`: removing the `#` right before the keys gives a configuration that loads as it is.
enum SchoolConfigurationText {
    static func text(rules: [RuleDefinition], bundledIDs: Set<String>, folder: String, version: String) -> String {
        var lines = [
            "# \(folder)/school.yaml: this school's settings for the bundled rules and its own, so that nobody",
            "# edits Lua to change a threshold. Written by `trellis init` (Trellis \(version)) from the rules'",
            "# own declarations: every value below is the default in force.",
            "#",
            "# To change a setting, remove the '#' right before its key and before the keys above it",
            "# (rules:, the rule's id, params:), keeping the indentation, then change the value.",
            "# A line starting with '# ' explains the line below it.",
            "#",
            "# Check it:  trellis check \(folder) --config \(folder)/school.yaml",
            "# Use it:    trellis evaluate --rules \(folder) --config \(folder)/school.yaml class.json",
            "# The keys are described in the manual: man trellis-check, and docs/rules.md",
            "# (\"The configuration file\").",
            "",
            "#rules:",
        ]
        for rule in rules {
            let origin = bundledIDs.contains(rule.id) ? "bundled" : "this folder's rule"
            lines += wrapped("\(rule.id) (\(origin))" + (rule.description.map { ": \($0)" } ?? ""), indent: 2)
            lines.append("  #\(rule.id):")
            lines.append("    #enabled: true")
            guard !rule.parameters.isEmpty else { continue }
            lines.append("    #params:")
            for parameter in rule.parameters {
                lines += wrapped(explanation(of: parameter), indent: 6)
                lines.append("      #\(parameter.name): \(parameter.defaultValue.jsonText)")
            }
        }
        let limits = RuleLimits()
        lines += [
            "",
            "# What one rule may spend on one student; 0 turns a limit off.",
            "#limits:",
            "  # Lua instructions.",
            "  #instructions: \(limits.instructions)",
            "  # Megabytes of Lua memory.",
            "  #memory_mb: \(limits.memoryBytes >> 20)",
            "  # Milliseconds.",
            "  #time_ms: \(limits.milliseconds)",
            "",
            "# The levels of support, most support first. A class document's own ladders still win.",
            "#ladders:",
            "  #prompt: \(JSONValue.array(Ladders.defaultPrompt.map(JSONValue.string)).jsonText)",
            "  #stage: \(JSONValue.array(Ladders.defaultStage.map(JSONValue.string)).jsonText)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `a number from 0 to 100: Percent correct...`: the type, range and description; the
    /// default is the value on the line below.
    private static func explanation(of parameter: RuleParameter) -> String {
        let summary = parameter.summary
        let afterName = summary.dropFirst(parameter.name.count + 2)
        // The summary says the default too; it is the value on the line below, so it is dropped.
        let defaultText = ", default \(parameter.defaultValue.jsonText)"
        guard let range = afterName.range(of: defaultText) else { return String(afterName) }
        return String(afterName[..<range.lowerBound] + afterName[range.upperBound...])
    }

    /// `text` as `# ` comment lines of at most 100 columns at `indent`; rule texts are one line
    /// each (a newline in a description would end the comment).
    private static func wrapped(_ text: String, indent: Int) -> [String] {
        let prefix = String(repeating: " ", count: indent) + "# "
        var lines: [String] = []
        var current = ""
        for word in text.split(whereSeparator: \.isWhitespace) {
            if !current.isEmpty && prefix.count + current.count + 1 + word.count > 100 {
                lines.append(prefix + current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(prefix + current) }
        return lines
    }
}
