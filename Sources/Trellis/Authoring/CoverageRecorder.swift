import Foundation
import Synchronization

/// Records which lines of rule files run, for `trellis test --coverage`.
///
/// Shared by every Lua state of a test run; the line hook reports to it from whichever worker.
public final class CoverageRecorder: Sendable {
    private let hits = Mutex<[String: Set<Int>]>([:])

    public init() {}

    func record(source: String, line: Int) {
        hits.withLock { _ = $0[source, default: []].insert(line) }
    }

    /// The lines run so far, by rule file path.
    public var linesRun: [String: Set<Int>] {
        hits.withLock { $0 }
    }
}

/// What a rule file's tests ran, and what they never ran.
package struct FileCoverage: Sendable, Hashable {
    package var path: String
    /// Lines that hold code, as the Lua compiler sees them.
    package var executableLines: [Int]
    package var linesRun: [Int]
    package var linesNeverRun: [Int]

    /// Covered executable lines, 0...100.
    package var percent: Double {
        executableLines.isEmpty ? 100 : Double(executableLines.count - linesNeverRun.count) * 100 / Double(executableLines.count)
    }
}

enum ExecutableLines {
    /// The lines of `source` that hold code: the lines `luac5.4 -l` lists instructions for,
    /// over every function of the chunk (the Lua API shows only functions that exist at run time).
    static func of(source: String, chunkName: String) throws -> [Int] {
        guard let listing = try LuaListing.of(source: source) else { throw CoverageError.compilerMissing }
        var lines: Set<Int> = []
        // VARARGPREP opens every main chunk and never raises a line event.
        for row in listing.split(separator: "\n") where !row.contains("VARARGPREP") {
            if let line = LuaListing.line(of: row) { lines.insert(line) }
        }
        lines.remove(0)
        return lines.sorted()
    }

    enum CoverageError: Error, CustomStringConvertible {
        case compilerMissing
        var description: String { "coverage needs luac5.4 (Debian's lua5.4 package) to know which lines hold code" }
    }
}

extension CoverageRecorder {
    /// Coverage of every file of `pack`: the lines that hold code, and which of them ran.
    package func report(for pack: RulePack) throws -> [FileCoverage] {
        let run = linesRun
        return try pack.sources.map { source in
            let executable = try ExecutableLines.of(source: source.source, chunkName: source.path)
            let hit = run[source.path] ?? []
            return FileCoverage(
                path: source.path, executableLines: executable, linesRun: executable.filter(hit.contains),
                linesNeverRun: executable.filter { !hit.contains($0) })
        }
    }
}

extension FileCoverage {
    /// `12, 15-17`: the lines never run, with runs of lines joined.
    public var neverRunDescription: String {
        var parts: [String] = []
        var index = 0
        while index < linesNeverRun.count {
            var end = index
            while end + 1 < linesNeverRun.count, linesNeverRun[end + 1] == linesNeverRun[end] + 1 { end += 1 }
            parts.append(end == index ? "\(linesNeverRun[index])" : "\(linesNeverRun[index])-\(linesNeverRun[end])")
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }
}
