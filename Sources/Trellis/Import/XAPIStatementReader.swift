/// Splits an xAPI file into statements, each with the line it starts on.
///
/// A file may hold a JSON array of statements, one statement object, an LRS answer
/// (`{"statements": [...], "more": ...}`), or one statement per line (NDJSON, `.jsonl`). The
/// project's own pull parser reads it: it knows the byte offset of every statement (so each fault
/// names its line, even inside one big array) and keeps the statements before a syntax error;
/// Foundation's `JSONSerialization` gives neither.
enum XAPIStatementReader {
    struct Statement {
        var line: Int
        var value: JSONValue
    }

    /// The statements of `bytes`, and a fault for each part that is not JSON.
    static func read(_ bytes: [UInt8], file: String, issues: inout IssueLog) -> [Statement] {
        bytes.withUnsafeBufferPointer { buffer in
            let hasMark = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
            let body = UnsafeBufferPointer(rebasing: buffer[(hasMark ? 3 : 0)...])
            var lines = LineCounter(bytes: body)
            var scanner = JSONScanner(body)
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else {
                issues.fault(file, "the file is empty: expected xAPI statements")
                return []
            }
            if body[scanner.offset] == UInt8(ascii: "{"), isLineDelimited(body) {
                return readLines(body, file: file, issues: &issues)
            }
            var statements: [Statement] = []
            do throws(JSONSyntaxError) {
                switch try scanner.peekKind() {
                case .array:
                    try readArray(&scanner, lines: &lines, into: &statements)
                case .object:
                    let start = scanner.offset
                    let value = try scanner.readValue()
                    if case .object(let members) = value, case .array = members["statements"], members["actor"] == nil {
                        // An LRS answer: read again, this time noting where each statement starts.
                        var again = JSONScanner(body, offset: start)
                        _ = try again.beginObject()
                        repeat {
                            if try again.readKey() == "statements" {
                                try readArray(&again, lines: &lines, into: &statements)
                            } else {
                                try again.skipValue()
                            }
                        } while try again.nextMember()
                    } else {
                        statements.append(Statement(line: lines.line(at: start), value: value))
                    }
                default:
                    let found = try scanner.readValue()
                    issues.fault(file, line: lines.line(at: 0), "expected xAPI statements (an object, an array of them, or one a line), got \(found.typeName)")
                    return []
                }
                try scanner.expectEnd()
            } catch {
                let kept = statements.isEmpty ? "" : "; the \(statements.count) statements before it are kept"
                issues.fault(file, line: lines.line(at: error.offset), "invalid JSON: \(error.message)\(kept), the rest of the file is left out")
            }
            return statements
        }
    }

    private static func readArray(_ scanner: inout JSONScanner, lines: inout LineCounter, into statements: inout [Statement]) throws(JSONSyntaxError) {
        guard try scanner.beginArray() else { return }
        repeat {
            scanner.skipWhitespace()
            let start = scanner.offset
            let value = try scanner.readValue()
            statements.append(Statement(line: lines.line(at: start), value: value))
        } while try scanner.nextElement()
    }

    /// True when the first non-blank line is a whole JSON value and something follows it: NDJSON.
    private static func isLineDelimited(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        let start = scanner.offset
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        var line = JSONScanner(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        do throws(JSONSyntaxError) {
            try line.skipValue()
            try line.expectEnd()
        } catch {
            return false
        }
        var rest = JSONScanner(bytes, offset: end)
        rest.skipWhitespace()
        return !rest.isAtEnd
    }

    /// One statement per line; a line that is not JSON is a fault by itself.
    private static func readLines(_ bytes: UnsafeBufferPointer<UInt8>, file: String, issues: inout IssueLog) -> [Statement] {
        var statements: [Statement] = []
        var lineStart = 0
        var number = 1
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer {
                lineStart = lineEnd + 1
                number += 1
            }
            var scanner = JSONScanner(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
            scanner.skipWhitespace()
            if scanner.isAtEnd { continue }
            do throws(JSONSyntaxError) {
                let value = try scanner.readValue()
                try scanner.expectEnd()
                if case .array(let elements) = value {
                    statements += elements.map { Statement(line: number, value: $0) }
                } else {
                    statements.append(Statement(line: number, value: value))
                }
            } catch {
                issues.fault(file, line: number, "invalid JSON: \(error.message)")
            }
        }
        return statements
    }

    /// Turns byte offsets into line numbers in one pass, for offsets that only grow.
    struct LineCounter {
        let bytes: UnsafeBufferPointer<UInt8>
        private var offset = 0
        private var current = 1

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func line(at target: Int) -> Int {
            if target < offset {
                offset = 0
                current = 1
            }
            while offset < min(target, bytes.count) {
                if bytes[offset] == 0x0A { current += 1 }
                offset += 1
            }
            return current
        }
    }
}
