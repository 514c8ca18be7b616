import Foundation

/// How an input is laid out.
public enum InputFormat: String, Sendable, CaseIterable {
    /// Decide from the content: an object with class-level keys or `students` is a document.
    case auto
    /// One class document (section 1 of the contract).
    case document
    /// One student object per line; class-level fields come separately.
    case ndjson
}

/// A student record read from the input: valid, or rejected with the reasons.
public enum RosterEntry: Sendable, Hashable {
    case student(Student)
    case invalid(studentID: String?, issues: [TrellisIssue])
}

/// A class's shared fields and its student records, in input order.
public struct Roster: Sendable, Hashable {
    public var context: ClassContext
    public var entries: [RosterEntry]

    public init(context: ClassContext, entries: [RosterEntry]) {
        self.context = context
        self.entries = entries
    }

    /// A roster of valid students, as a Swift caller builds one.
    public init(_ document: ClassDocument) {
        self.init(context: document.context, entries: document.students.map { .student($0) })
    }
}

/// Reads class documents and NDJSON student streams into a `Roster`, checking every field.
///
/// A student with bad data becomes an `.invalid` entry naming the field; the others are kept.
/// An input that cannot be read as a whole (not JSON, truncated, a broken `ladders`) throws.
public enum RosterReader {
    /// Reads `bytes`, naming `sourceName` in every location.
    ///
    /// - Parameters:
    ///   - bytes: a class document or NDJSON (a byte-order mark is allowed).
    ///   - sourceName: the file's name, for error locations.
    ///   - format: `.auto` tells NDJSON by its first line.
    ///   - header: the class-level fields for an NDJSON stream; ignored for a document.
    ///   - today: the `as_of` date when the input gives none.
    ///   - ladders: the ladders when the input gives none (a school's configuration).
    public static func read(
        _ bytes: [UInt8], sourceName: String, format: InputFormat = .auto, header: ClassContext? = nil, today: String = RosterReader.today(),
        ladders: Ladders = Ladders()
    ) throws(TrellisError) -> Roster {
        let result: Result<Roster, TrellisError> = bytes.withUnsafeBufferPointer { buffer in
            let body = UnsafeBufferPointer(rebasing: buffer[byteOrderMarkLength(buffer)...])
            do throws(TrellisError) {
                return .success(try read(body, sourceName: sourceName, format: format, header: header, today: today, ladders: ladders))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads only the class-level fields of a document (a header for an NDJSON stream).
    public static func readHeader(
        _ bytes: [UInt8], sourceName: String, today: String = RosterReader.today(), ladders: Ladders = Ladders()
    ) throws(TrellisError) -> ClassContext {
        let result: Result<ClassContext, TrellisError> = bytes.withUnsafeBufferPointer { buffer in
            let body = UnsafeBufferPointer(rebasing: buffer[byteOrderMarkLength(buffer)...])
            do throws(TrellisError) {
                let top = try topLevelOffsets(body, sourceName: sourceName)
                return .success(try context(body, offsets: top, sourceName: sourceName, today: today, ladders: ladders))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Whether a stream that starts with `prefix` (which holds at least its first non-blank
    /// line, or all of it) is NDJSON: its first line alone is a whole object without the
    /// fields of a class document.
    public static func startsLikeNDJSON(_ prefix: [UInt8]) -> Bool {
        prefix.withUnsafeBufferPointer { buffer in
            let body = UnsafeBufferPointer(rebasing: buffer[byteOrderMarkLength(buffer)...])
            guard let keys = firstLineObjectKeys(body) else { return false }
            return ClassContextDecoder.documentKeys.isDisjoint(with: keys)
        }
    }

    /// Why a stream that starts with `prefix` is not UTF-8 text Trellis can read, if it is not:
    /// UTF-16 or UTF-32 (a byte-order mark, or NUL bytes where text would be), as spreadsheet
    /// programs sometimes save. Each line would otherwise be reported as not JSON.
    public static func encodingProblem(_ prefix: [UInt8]) -> String? {
        let advice = "Trellis reads UTF-8: convert it first, for example with iconv -f UTF-16 -t UTF-8"
        if prefix.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || prefix.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            return "the input is UTF-32 text (it starts with a UTF-32 byte-order mark); " + advice.replacing("UTF-16", with: "UTF-32")
        }
        if prefix.starts(with: [0xFF, 0xFE]) || prefix.starts(with: [0xFE, 0xFF]) {
            return "the input is UTF-16 text (it starts with a UTF-16 byte-order mark); " + advice
        }
        if prefix.count >= 2, prefix[0] == 0 || prefix[1] == 0 {
            return "the input is not UTF-8 (it has NUL bytes at its start, as UTF-16 text has); " + advice
        }
        return nil
    }

    /// Today's date in the local time zone, `YYYY-MM-DD`.
    public static func today() -> String {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    // MARK: Documents

    private static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, sourceName: String, format: InputFormat, header: ClassContext?, today: String, ladders: Ladders
    ) throws(TrellisError) -> Roster {
        guard !NDJSONLines.isBlank(bytes) else { throw emptyInput(sourceName: sourceName) }
        if let problem = encodingProblem(Array(bytes.prefix(4))) { throw TrellisError(.invalidInput, problem, location: sourceName) }
        switch format {
        case .ndjson:
            return readLines(bytes, sourceName: sourceName, context: header ?? ClassContext(asOf: today, ladders: ladders))
        case .document:
            let top = try topLevelOffsets(bytes, sourceName: sourceName)
            return try readDocument(bytes, offsets: top, sourceName: sourceName, today: today, ladders: ladders)
        case .auto:
            if let keys = firstLineObjectKeys(bytes), ClassContextDecoder.documentKeys.isDisjoint(with: keys) {
                return readLines(bytes, sourceName: sourceName, context: header ?? ClassContext(asOf: today, ladders: ladders))
            }
            let top = try topLevelOffsets(bytes, sourceName: sourceName)
            return try readDocument(bytes, offsets: top, sourceName: sourceName, today: today, ladders: ladders)
        }
    }

    /// The keys of the first line when that line alone is a whole JSON object: the mark of
    /// NDJSON (a pretty-printed document's first line is not a whole object).
    private static func firstLineObjectKeys(_ bytes: UnsafeBufferPointer<UInt8>) -> Set<String>? {
        var lines = NDJSONLines(bytes)
        guard let first = lines.next() else { return nil }
        var scanner = JSONScanner(first.line)
        var keys: Set<String> = []
        do {
            guard try scanner.peekKind() == .object else { return nil }
            if try scanner.beginObject() {
                repeat {
                    keys.insert(try scanner.readKey())
                    try scanner.skipValue()
                } while try scanner.nextMember()
            }
            try scanner.expectEnd()
        } catch {
            return nil
        }
        return keys
    }

    /// Scans the top-level object once, noting where each member's value starts, so that
    /// `ladders` is known before the students are checked against it wherever it stands.
    static func topLevelOffsets(
        _ bytes: UnsafeBufferPointer<UInt8>, sourceName: String, notAnObject: String = "expected a class document: a JSON object with \"students\""
    ) throws(TrellisError) -> [String: Int] {
        var scanner = JSONScanner(bytes)
        var offsets: [String: Int] = [:]
        do throws(JSONSyntaxError) {
            guard try scanner.peekKind() == .object else {
                throw scanner.error(notAnObject)
            }
            if try scanner.beginObject() {
                repeat {
                    let key = try scanner.readKey()
                    scanner.skipWhitespace()
                    offsets[key] = scanner.offset
                    try scanner.skipValue()
                } while try scanner.nextMember()
            }
            try scanner.expectEnd()
        } catch {
            throw syntaxError(error, in: bytes, sourceName: sourceName)
        }
        return offsets
    }

    private static func context(
        _ bytes: UnsafeBufferPointer<UInt8>, offsets: [String: Int], sourceName: String, today: String, ladders: Ladders
    ) throws(TrellisError) -> ClassContext {
        var reader = FieldReader(scanner: JSONScanner(bytes))
        let context: ClassContext
        do throws(JSONSyntaxError) {
            context = try ClassContextDecoder().decode(valueOffsets: offsets, reader: &reader, defaultAsOf: today, defaultLadders: ladders)
        } catch {
            throw syntaxError(error, in: bytes, sourceName: sourceName)
        }
        guard reader.issues.isEmpty else {
            throw TrellisError(issues: reader.issues.map { issue($0, prefix: "", studentID: nil, kind: .invalidInput, bytes: bytes, sourceName: sourceName) })
        }
        return context
    }

    private static func readDocument(
        _ bytes: UnsafeBufferPointer<UInt8>, offsets: [String: Int], sourceName: String, today: String, ladders: Ladders
    ) throws(TrellisError) -> Roster {
        let context = try context(bytes, offsets: offsets, sourceName: sourceName, today: today, ladders: ladders)
        guard let studentsOffset = offsets["students"] else {
            throw TrellisError(.invalidInput, "required field 'students' is missing", location: location(of: 0, in: bytes, sourceName: sourceName))
        }
        var entries: [RosterEntry] = []
        var checker = DuplicateChecker(counting: .studentIndexes)
        let decoder = StudentDecoder(ladders: context.ladders)
        var scanner = JSONScanner(bytes, offset: studentsOffset)
        do {
            guard try scanner.peekKind() == .array else {
                let found = try scanner.readValue()
                throw TrellisError(
                    .invalidInput, "expected an array of students, got \(found.briefDescription)",
                    location: location(of: studentsOffset, in: bytes, sourceName: sourceName), path: "students")
            }
            guard try scanner.beginArray() else { return Roster(context: context, entries: []) }
            var index = 0
            repeat {
                scanner.skipWhitespace()
                let start = scanner.offset
                var reader = FieldReader(scanner: scanner)
                let (student, id) = try decoder.decode(&reader)
                scanner = reader.scanner
                let prefix = "students[\(index)]" + (id.map { " (\($0))" } ?? "")
                var duplicates: [TrellisIssue] = []
                if let id, let duplicate = checker.issue(forRepeated: id, at: index, location: location(of: start, in: bytes, sourceName: sourceName)) {
                    duplicates.append(duplicate)
                }
                entries.append(
                    .decoded(student, id: id, issues: reader.issues, extra: duplicates) {
                        issue($0, prefix: prefix, studentID: id, kind: .invalidStudent, bytes: bytes, sourceName: sourceName)
                    })
                index += 1
            } while try scanner.nextElement()
        } catch let error as JSONSyntaxError {
            throw syntaxError(error, in: bytes, sourceName: sourceName)
        } catch let error as TrellisError {
            throw error
        } catch {
            throw TrellisError(.invalidInput, "\(error)", location: sourceName)
        }
        return Roster(context: context, entries: entries)
    }

    // MARK: NDJSON

    private static func readLines(_ bytes: UnsafeBufferPointer<UInt8>, sourceName: String, context: ClassContext) -> Roster {
        var entries: [RosterEntry] = []
        var checker = DuplicateChecker(counting: .lines)
        let decoder = StudentDecoder(ladders: context.ladders)
        for (lineNumber, line) in NDJSONLines(bytes) {
            let entry = readLine(line, number: lineNumber, sourceName: sourceName, decoder: decoder)
            entries.append(checker.check(entry, line: lineNumber, sourceName: sourceName))
        }
        return Roster(context: context, entries: entries)
    }

    /// One NDJSON line as a roster entry. Duplicate ids are the caller's to check, in input
    /// order (`DuplicateChecker`), since lines may be read in parallel.
    static func readLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, sourceName: String, decoder: StudentDecoder) -> RosterEntry {
        func where_(_ offset: Int) -> String {
            "\(sourceName):\(number):\(JSONScanner.lineAndColumn(of: offset, in: line).column)"
        }
        var reader = FieldReader(scanner: JSONScanner(line))
        do {
            let (student, id) = try decoder.decode(&reader)
            try reader.scanner.expectEnd()
            let prefix = "line \(number)" + (id.map { " (\($0))" } ?? "")
            return .decoded(student, id: id, issues: reader.issues) {
                TrellisIssue(kind: .invalidStudent, student: id, message: $0.message, location: where_($0.offset), path: $0.render(after: prefix))
            }
        } catch {
            return .invalid(
                studentID: nil,
                issues: [TrellisIssue(kind: .invalidStudent, message: "invalid JSON: \(error.message)", location: where_(error.offset), path: "line \(number)")])
        }
    }

    /// Remembers the student ids of a roster, in input order, with where each was first used (a
    /// line of NDJSON, or an index into a document's `students`), and makes the issue of a
    /// repeated id: the one place that says what a duplicate is, for a document, a whole NDJSON
    /// roster and a stream.
    ///
    /// It keeps a number per id, not a label: at district scale this table is one of the few
    /// things that grows with the roster.
    struct DuplicateChecker {
        /// What the numbers given to `check` count.
        enum Places {
            /// Lines of an NDJSON stream (1-based): "first at line 7".
            case lines
            /// Indexes into a document's `students` (0-based): "first at students[6]".
            case studentIndexes
        }

        let places: Places
        /// Each id, with the place it was first seen.
        private(set) var firstPlace: [String: Int] = [:]

        init(counting places: Places) {
            self.places = places
        }

        /// The issue of `id` at `place` when it was seen before; otherwise nil, and the id is
        /// remembered at `place`.
        mutating func issue(forRepeated id: String, at place: Int, location: @autoclosure () -> String) -> TrellisIssue? {
            guard let first = firstPlace[id] else {
                firstPlace[id] = place
                return nil
            }
            return TrellisIssue(
                kind: .invalidStudent, student: id, message: "duplicate student id \(JSONValue.string(id).briefDescription), first at \(label(first))",
                location: location(), path: "\(label(place)) (\(id)).id")
        }

        /// An NDJSON line's entry, skipped with the issue added when its id was used before.
        mutating func check(_ entry: RosterEntry, line: Int, sourceName: String) -> RosterEntry {
            let (id, issues): (String?, [TrellisIssue]) = switch entry {
            case .student(let student): (student.id, [])
            case .invalid(let studentID, let existing): (studentID, existing)
            }
            guard let id, let duplicate = issue(forRepeated: id, at: line, location: "\(sourceName):\(line):1") else { return entry }
            return .invalid(studentID: id, issues: issues + [duplicate])
        }

        /// The same for an evaluated line's outcome; true when its id was used before.
        mutating func check(_ outcome: inout StudentOutcome, line: Int, sourceName: String) -> Bool {
            let (id, issues): (String?, [TrellisIssue]) = switch outcome {
            case .evaluated(let result): (result.student, [])
            case .skipped(let studentID, let existing): (studentID, existing)
            }
            guard let id, let duplicate = issue(forRepeated: id, at: line, location: "\(sourceName):\(line):1") else { return false }
            outcome = .skipped(studentID: id, issues: issues + [duplicate])
            return true
        }

        private func label(_ place: Int) -> String {
            switch places {
            case .lines: "line \(place)"
            case .studentIndexes: "students[\(place)]"
            }
        }
    }

    // MARK: Helpers

    private static func issue(
        _ field: FieldIssue, prefix: String, studentID: String?, kind: TrellisIssue.Kind, bytes: UnsafeBufferPointer<UInt8>, sourceName: String
    ) -> TrellisIssue {
        TrellisIssue(
            kind: kind, student: studentID, message: field.message,
            location: location(of: field.offset, in: bytes, sourceName: sourceName), path: field.render(after: prefix))
    }

    static func syntaxError(_ error: JSONSyntaxError, in bytes: UnsafeBufferPointer<UInt8>, sourceName: String) -> TrellisError {
        TrellisError(.invalidInput, "invalid JSON: \(error.message)", location: location(of: error.offset, in: bytes, sourceName: sourceName))
    }

    static func location(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, sourceName: String) -> String {
        let position = JSONScanner.lineAndColumn(of: offset, in: bytes)
        return "\(sourceName):\(position.line):\(position.column)"
    }

    static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// The error for an input that is empty or blank: the one wording for a file, standard input,
    /// a stream (`trellis evaluate` checks a stream before reading it) and a request's body.
    package static func emptyInput(
        sourceName: String, what: String = "input", expected: String = "a class document or one student per line"
    ) -> TrellisError {
        TrellisError(.invalidInput, "the \(what) is empty: expected \(expected)", location: sourceName)
    }
}
