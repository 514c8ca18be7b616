import Foundation
import Synchronization
import Trellis

/// Standard error and terminal detection. Everything printed here for people passes through
/// `TerminalText`: messages quote rules and inputs, whose text must not drive the terminal. The
/// line breaks kept are the caller's own; text from a rule or an input is escaped whole first
/// (`TrellisIssue.description` and `ImportIssue.description` are).
enum Terminal {
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) != 0 }

    static func printError(_ message: String) {
        printLine("trellis: " + message)
    }

    /// A line to standard error.
    static func printLine(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.escaped(text, keepingLineBreaks: true) + "\n").utf8))
    }

    /// An input, rules or configuration that cannot be used: a line saying which (from the
    /// issues' kind), then each issue indented, with its file:line and field path.
    static func printUnusable(_ error: TrellisError) {
        let what =
            switch error.issues.first?.kind {
            case .invalidRule?, .ruleError?, .ruleLimit?, .invalidRecommendation?: "the rules"
            case .invalidConfiguration?: "the configuration"
            default: "the input"
            }
        printError("\(what) cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
    }

    /// Text for people to standard output (JSON goes out with `print`: JSON escapes its own).
    static func printOut(_ text: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((TerminalText.escaped(text, keepingLineBreaks: true) + terminator).utf8))
    }
}

/// The one-line summary printed at the end of a run.
enum Summary {
    static func line(_ summary: EvaluationSummary, seconds: Double) -> String {
        // Kinds and actions are the rules' words: one line, whatever they hold.
        let kinds = summary.byKindAndAction.keys.sorted().map { kind in
            let actions = summary.byKindAndAction[kind, default: [:]]
            return "\(TerminalText.escaped(kind)): " + actions.keys.sorted().map { "\(actions[$0]!) \(TerminalText.escaped($0))" }.joined(separator: ", ")
        }
        var parts = ["\(summary.students) students", "\(summary.recommendations) recommendations"]
        if !kinds.isEmpty { parts[1] += " (" + kinds.joined(separator: "; ") + ")" }
        if summary.classRecommendations > 0 { parts.append("\(summary.classRecommendations) for the class") }
        parts.append("\(summary.errors) errors")
        if summary.skipped > 0 { parts.append("\(summary.skipped) skipped") }
        parts.append(String(format: "%.2f s", seconds))
        return parts.joined(separator: ", ")
    }
}

/// A progress bar on standard error: students done, rate and time left. For a stream, the
/// share done is that of the bytes read, when the input's size is known.
final class ProgressLine: Sendable {
    private let total: Int?
    private let totalBytes: Int?
    private let started = Date()
    /// When the bar was last drawn, and whether it is on the screen now.
    private let shown = Mutex((lastDrawn: Date.distantPast, drawn: false))

    /// What is counted: students, or the days of a replay.
    private let unit: String

    init(total: Int, unit: String = "students") {
        self.total = total
        self.totalBytes = nil
        self.unit = unit
    }

    init(totalBytes: Int?) {
        self.total = nil
        self.totalBytes = totalBytes
        self.unit = "students"
    }

    func update(_ done: Int) {
        draw(students: done, fraction: total.map { $0 > 0 ? Double(done) / Double($0) : 1 }, force: done == total)
    }

    func update(_ progress: StreamProgress) {
        if progress.phase == .classRules {
            // The class-level rules run once over every student: no bar, but say what is going on.
            shown.withLock { shown in
                shown.drawn = true
                FileHandle.standardError.write(Data("\r\u{1B}[K\(progress.students) students evaluated; running the class-level rules...".utf8))
            }
            return
        }
        let fraction = progress.totalBytes.map { $0 > 0 ? min(1, Double(progress.bytesRead) / Double($0)) : 1 }
        draw(students: progress.students, fraction: fraction, force: false)
    }

    /// Erases the bar so that a message can be printed; the next update draws it again.
    func clear() {
        shown.withLock { shown in
            guard shown.drawn else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            shown.drawn = false
        }
    }

    func finish() {
        clear()
    }

    private func draw(students: Int, fraction: Double?, force: Bool) {
        shown.withLock { shown in
            let now = Date()
            guard force || now.timeIntervalSince(shown.lastDrawn) > 0.1 else { return }
            shown.lastDrawn = now
            shown.drawn = true
            let elapsed = max(now.timeIntervalSince(started), 0.001)
            let rate = Double(students) / elapsed
            var line = "\r"
            if let fraction {
                let width = 30
                let filled = Int(Double(width) * fraction)
                line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            }
            line += "\(students)" + (total.map { "/\($0)" } ?? "") + " " + unit
            line += String(format: "  %.0f/s", rate)
            if let fraction, fraction > 0 {
                line += String(format: "  ETA %.0fs ", elapsed / fraction - elapsed)
            }
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
