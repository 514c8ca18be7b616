import Foundation
import Trellis

/// Standard error and terminal detection.
enum Terminal {
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) != 0 }

    static func printError(_ message: String) {
        printLine("trellis: " + message)
    }

    static func printLine(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// The one-line summary printed at the end of a run.
enum Summary {
    static func line(_ summary: EvaluationSummary, seconds: Double) -> String {
        let kinds = summary.byKindAndAction.keys.sorted().map { kind in
            let actions = summary.byKindAndAction[kind, default: [:]]
            return "\(kind): " + actions.keys.sorted().map { "\(actions[$0]!) \($0)" }.joined(separator: ", ")
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

/// A progress bar on standard error: students done, rate and time left.
final class ProgressLine: @unchecked Sendable {
    private let total: Int
    private let started = Date()
    private var lastDrawn = Date.distantPast
    private let lock = NSLock()

    init(total: Int) {
        self.total = total
    }

    func update(_ done: Int) {
        lock.withLock {
            let now = Date()
            guard done == total || now.timeIntervalSince(lastDrawn) > 0.1 else { return }
            lastDrawn = now
            let elapsed = max(now.timeIntervalSince(started), 0.001)
            let rate = Double(done) / elapsed
            let remaining = rate > 0 ? Double(total - done) / rate : 0
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = String(format: "\r[%@] %d/%d students  %.0f/s  ETA %.0fs ", bar, done, total, rate, remaining)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
