/// Splits files of Google Classroom API answers into their resources, each with the line it
/// starts on.
///
/// A file holds one list answer as the API returns it (`{"courseWork": [...], "nextPageToken":
/// ...}`, `{"studentSubmissions": [...]}`, `{"students": [...]}`, `{"topic": [...]}`), or a JSON
/// array of such answers (the pages of one list, or several lists). The project's pull parser
/// reads it, so each fault names the line of its resource, and the resources before a syntax
/// error are kept.
enum ClassroomAPIReader {
    /// The lists read, by the key their answer holds them under.
    enum Kind: String, CaseIterable {
        case courseWork, studentSubmissions, students
        /// `courses.topics.list` answers `{"topic": [...]}`.
        case topic

        init?(key: String) {
            if key == "topics" {
                self = .topic
            } else {
                self.init(rawValue: key)
            }
        }
    }

    struct Resource {
        var kind: Kind
        var line: Int
        var value: JSONValue
    }

    /// One list answer: its resources, and whether it says more pages follow.
    struct Answer {
        var line: Int
        var resources: [Resource] = []
        var kinds: Set<Kind> = []
        var hasNextPage = false
        /// `{}`: the API's answer for an empty list.
        var isEmpty = false
    }

    /// The answers of `bytes`, and a fault for each part that is not one.
    static func read(_ bytes: [UInt8], file: String, issues: inout IssueLog) -> [Answer] {
        bytes.withUnsafeBufferPointer { buffer in
            let hasMark = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
            let body = UnsafeBufferPointer(rebasing: buffer[(hasMark ? 3 : 0)...])
            var lines = XAPIStatementReader.LineCounter(bytes: body)
            var scanner = JSONScanner(body)
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else {
                issues.fault(file, "the file is empty: expected a Classroom API answer")
                return []
            }
            var answers: [Answer] = []
            do throws(JSONSyntaxError) {
                switch try scanner.peekKind() {
                case .object:
                    answers.append(try readAnswer(&scanner, lines: &lines, file: file, issues: &issues))
                case .array:
                    if try scanner.beginArray() {
                        repeat {
                            scanner.skipWhitespace()
                            if try scanner.peekKind() == .object {
                                answers.append(try readAnswer(&scanner, lines: &lines, file: file, issues: &issues))
                            } else {
                                let line = lines.line(at: scanner.offset)
                                let found = try scanner.readValue()
                                issues.fault(file, line: line, "expected a Classroom API answer (an object), got \(found.typeName)")
                            }
                        } while try scanner.nextElement()
                    }
                default:
                    let found = try scanner.readValue()
                    issues.fault(file, line: 1, "expected a Classroom API answer such as {\"courseWork\": [...]}, got \(found.typeName)")
                    return []
                }
                try scanner.expectEnd()
            } catch {
                let count = answers.reduce(0) { $0 + $1.resources.count }
                let kept = count == 0 ? "" : "; the \(count) resources before it are kept"
                issues.fault(file, line: lines.line(at: error.offset), "invalid JSON: \(error.message)\(kept), the rest of the file is left out")
            }
            return answers
        }
    }

    private static func readAnswer(
        _ scanner: inout JSONScanner, lines: inout XAPIStatementReader.LineCounter, file: String, issues: inout IssueLog
    ) throws(JSONSyntaxError) -> Answer {
        scanner.skipWhitespace()
        var answer = Answer(line: lines.line(at: scanner.offset))
        var others: [String] = []
        if try scanner.beginObject() {
            repeat {
                let key = try scanner.readKey()
                if let kind = Kind(key: key), try scanner.peekKind() == .array {
                    answer.kinds.insert(kind)
                    if try scanner.beginArray() {
                        repeat {
                            scanner.skipWhitespace()
                            let line = lines.line(at: scanner.offset)
                            answer.resources.append(Resource(kind: kind, line: line, value: try scanner.readValue()))
                        } while try scanner.nextElement()
                    }
                } else if key == "nextPageToken" {
                    let token = try scanner.readValue()
                    if case .string(let text) = token, !text.isEmpty { answer.hasNextPage = true }
                } else {
                    others.append(key)
                    try scanner.skipValue()
                }
            } while try scanner.nextMember()
        }
        if others.contains(where: { ["trellis", "as_of", "ladders", "catalog"].contains($0) }) {
            // `students` is a list in both: a class document is not read as the API's roster.
            issues.fault(file, line: answer.line, "a Trellis class document, not a Classroom API answer: merge the import into it with --into")
            return Answer(line: answer.line)
        }
        answer.isEmpty = answer.kinds.isEmpty && others.isEmpty
        if answer.kinds.isEmpty, !others.isEmpty {
            let found = others.prefix(5).map { JSONValue.string($0).jsonText }.joined(separator: ", ")
            issues.fault(
                file, line: answer.line,
                "not a Classroom API list answer: expected courseWork, studentSubmissions, students or topic (a list), found \(found)")
        }
        return answer
    }
}
