/// Finds where a rule file sets a field, so that a problem found in the loaded rule table can
/// name a line, as a syntax error does.
enum SourceLines {
    /// The first line (1-based) with `key =` (not `==`, not `.key =`), outside comments.
    static func line(assigning key: String, in source: String) -> Int? {
        for (index, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.firstRange(of: "--").map { rawLine[..<$0.lowerBound] } ?? rawLine
            var searchStart = line.startIndex
            while let found = line[searchStart...].firstRange(of: key) {
                searchStart = found.upperBound
                if found.lowerBound > line.startIndex {
                    let before = line[line.index(before: found.lowerBound)]
                    if before.isLetter || before.isNumber || before == "_" || before == "." { continue }
                }
                let rest = line[found.upperBound...].drop { $0 == " " || $0 == "\t" }
                if rest.hasPrefix("="), !rest.hasPrefix("==") { return index + 1 }
            }
        }
        return nil
    }
}
