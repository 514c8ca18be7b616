/// The globals a rule file reads that its environment does not have: `print`, `require`, `io`, a
/// misspelt helper. Each would fail, or read nil, only when that line runs; `trellis check` says so
/// beforehand, with the line and what to use instead.
package enum RuleGlobals {
    /// Every global that a file of `pack` reads and neither the sandbox nor the file itself sets,
    /// once per file and name, at its first line.
    ///
    /// - Returns: nil when `luac5.4` (Debian's lua5.4 package), which lists what a file reads, is
    ///   not installed.
    package static func problems(in pack: RulePack) throws -> [TrellisIssue]? {
        let available = try sandboxGlobals()
        var problems: [TrellisIssue] = []
        for source in pack.sources {
            guard let listing = try LuaListing.of(source: source.source) else { return nil }
            var reads: [(name: String, line: Int)] = []
            var written: Set<String> = []
            for row in listing.split(separator: "\n") {
                // `GETTABUP 2 0 3 ; _ENV "name"` reads a global, SETTABUP sets one.
                guard let marker = row.range(of: "; _ENV \""), let line = LuaListing.line(of: row) else { continue }
                let name = String(row[marker.upperBound...].dropLast())
                if row.contains("SETTABUP") { written.insert(name) } else if row.contains("GETTABUP") { reads.append((name, line)) }
            }
            var reported: Set<String> = []
            for read in reads where !available.contains(read.name) && !written.contains(read.name) && reported.insert(read.name).inserted {
                problems.append(TrellisIssue(kind: .invalidRule, message: fix(for: read.name), location: "\(source.path):\(read.line)"))
            }
        }
        return problems
    }

    static func fix(for name: String) -> String {
        switch name {
        case "print": return "print is not available in a rule: use ctx.log (trellis test and trellis explain show what it logs)"
        case "require", "dofile", "loadfile", "load", "loadstring":
            return "\(name) is not available in a rule: a rule is one file (the trellis helpers are already there)"
        case "io": return "io is not available in a rule: a rule reads only its arguments (the student, ctx, results)"
        case "rawset", "debug", "package", "collectgarbage", "setfenv", "getfenv", "module", "unpack":
            return "\(name) is not available in a rule" + (name == "unpack" ? ": use table.unpack" : " (docs/security.md says why)")
        default: return "\(name) is not a global in a rule: a misspelt name, or a local declared after its use? It reads as nil"
        }
    }

    /// The names the rules' environment holds: the sandbox's base table, read from a state.
    static func sandboxGlobals() throws(TrellisError) -> Set<String> {
        try RuleRunner(pack: RulePack(sources: []), limits: RuleLimits()).sandboxGlobals()
    }
}
