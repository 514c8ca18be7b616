/// One step of a field path: a key, or an index into an array.
enum PathComponent {
    case key(String)
    case field(ContractKey)
    case index(Int)
}

/// A field that breaks the contract, at a path relative to the record being read.
struct FieldIssue {
    var path: [PathComponent]
    var message: String
    var offset: Int
    /// The skill that the problem leaves undecided (a bad session, work item or self-assessment
    /// of that skill); nil for a problem that skips the whole student.
    var skill: String? = nil

    /// `skills[0].sessions[2].trials`, or the prefix alone for the record itself.
    func render(after prefix: String) -> String {
        var text = prefix
        for component in path {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .field(let key): text += text.isEmpty ? key.rawValue : "." + key.rawValue
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// Reads typed fields off a scanner, recording a `FieldIssue` (and skipping the value) where a
/// field has the wrong type, so that one pass reports every problem of a record.
struct FieldReader {
    var scanner: JSONScanner
    var path: [PathComponent] = []
    var issues: [FieldIssue] = []
    /// Where each field's value of the session being read starts (by `SessionField.rawValue`),
    /// for the problems found once the whole session is read; one array for every session.
    var sessionValueOffsets = [Int](repeating: 0, count: SessionField.all.count)

    init(scanner: JSONScanner) {
        self.scanner = scanner
        path.reserveCapacity(8)
    }

    mutating func fail(_ message: String, at offset: Int? = nil) {
        issues.append(FieldIssue(path: path, message: message, offset: offset ?? scanner.offset))
    }

    /// Runs `body` with `component` appended to the current path.
    mutating func nested<T>(_ component: PathComponent, _ body: (inout FieldReader) throws(JSONSyntaxError) -> T) throws(JSONSyntaxError) -> T {
        path.append(component)
        defer { path.removeLast() }
        return try body(&self)
    }

    /// Records "expected X, got Y" and consumes the offending value.
    mutating func mismatch(expected: String) throws(JSONSyntaxError) {
        scanner.skipWhitespace()
        let start = scanner.offset
        let found = try scanner.readValue()
        fail("expected \(expected), got \(found.briefDescription)", at: start)
    }

    /// Whether the next value is `null`; consumes it when it is.
    mutating func takeNull() throws(JSONSyntaxError) -> Bool {
        guard try scanner.peekKind() == .null else { return false }
        try scanner.readNull()
        return true
    }

    // MARK: Typed values (null reads as nil)

    mutating func string() throws(JSONSyntaxError) -> String? {
        let kind = try scanner.peekKind()
        guard kind == .string else { return try absent(kind, expected: "a string") }
        return try scanner.readString()
    }

    /// Consumes a value that is not of the kind expected: null reads as nil; anything else is
    /// recorded as "expected X, got Y" and also reads as nil.
    private mutating func absent<Value>(_ kind: JSONScanner.Kind, expected: String) throws(JSONSyntaxError) -> Value? {
        if kind == .null { try scanner.readNull() } else { try mismatch(expected: expected) }
        return nil
    }

    /// A string that must be present and not empty.
    mutating func requiredString() throws(JSONSyntaxError) -> String? {
        scanner.skipWhitespace()
        let start = scanner.offset
        let issuesBefore = issues.count
        guard let value = try string() else {
            if issues.count == issuesBefore { fail("expected a string, got null", at: start) }
            return nil
        }
        if value.isEmpty {
            fail("must not be empty", at: start)
            return nil
        }
        return value
    }

    mutating func number() throws(JSONSyntaxError) -> Double? {
        let kind = try scanner.peekKind()
        guard kind == .number else { return try absent(kind, expected: "a number") }
        return try scanner.readNumber().doubleValue
    }

    /// A count of trials: a whole number, zero or more.
    mutating func count() throws(JSONSyntaxError) -> Int? {
        let kind = try scanner.peekKind()
        guard kind == .number else { return try absent(kind, expected: "a number") }
        if let plain = scanner.takePlainWholeNumber() { return plain }
        let start = scanner.offset
        let value = try scanner.readNumber()
        let whole: Int64? = switch value {
        case .integer(let integer): integer
        case .number(let double) where double.rounded() == double && abs(double) < 1e15: Int64(double)
        default: nil
        }
        guard let whole else {
            fail("expected a whole number, got \(value.briefDescription)", at: start)
            return nil
        }
        guard whole >= 0 else {
            fail("must not be negative, got \(whole)", at: start)
            return nil
        }
        return Int(whole)
    }

    /// A calendar date `YYYY-MM-DD`, or an ISO 8601 date and time.
    mutating func date() throws(JSONSyntaxError) -> String? {
        scanner.skipWhitespace()
        let start = scanner.offset
        if let plain = scanner.peekPlainString(), SchoolDate.isValid(plain) {
            scanner.skipPlainString(plain)
            return String(decoding: plain, as: UTF8.self)
        }
        guard let text = try string() else { return nil }
        guard SchoolDate.isValid(text) else {
            fail("expected a date (YYYY-MM-DD), got \(JSONValue.string(text).briefDescription)", at: start)
            return nil
        }
        return text
    }

    /// A string that must be one of the allowed values.
    mutating func oneOf<Value: RawRepresentable<String> & CaseIterable>(_ type: Value.Type) throws(JSONSyntaxError) -> Value? {
        scanner.skipWhitespace()
        let start = scanner.offset
        guard let text = try string() else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map { $0.rawValue }.joined(separator: ", ")
            fail("expected one of \(allowed), got \(JSONValue.string(text).briefDescription)", at: start)
            return nil
        }
        return value
    }

    /// A level that must be on the named ladder. A level is matched on its bytes and the
    /// ladder's own String is returned: no String is built for it.
    mutating func level(on ladder: LevelSet, named ladderName: String) throws(JSONSyntaxError) -> String? {
        scanner.skipWhitespace()
        let start = scanner.offset
        if let plain = scanner.peekPlainString(), let level = ladder.level(matching: plain) {
            scanner.skipPlainString(plain)
            return level
        }
        guard let text = try string() else { return nil }
        guard ladder.levels.contains(text) else {
            fail("\(JSONValue.string(text).briefDescription) is not on the \(ladderName) ladder (\(ladder.levels.joined(separator: ", ")))", at: start)
            return nil
        }
        return text
    }

    /// An array of strings; null reads as empty.
    mutating func strings() throws(JSONSyntaxError) -> [String] {
        var values: [String] = []
        try array { (reader: inout FieldReader) throws(JSONSyntaxError) in
            if let value = try reader.string() { values.append(value) }
        }
        return values
    }

    /// Visits each element of an array with its index on the path. Null reads as empty.
    mutating func array(_ element: (inout FieldReader) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        let kind = try scanner.peekKind()
        guard kind == .array else {
            let _: Void? = try absent(kind, expected: "an array")
            return
        }
        guard try scanner.beginArray() else { return }
        var index = 0
        repeat {
            path.append(.index(index))
            try element(&self)
            path.removeLast()
            index += 1
        } while try scanner.nextElement()
    }

    /// Visits each member of an object with its key on the path; false when the value is not an object.
    @discardableResult
    mutating func object(_ member: (inout FieldReader, String) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) -> Bool {
        try fields { (reader: inout FieldReader, key: FieldKey) throws(JSONSyntaxError) in try member(&reader, key.text) }
    }

    /// `object` for the contract's records: a key that is one of the contract's fields comes
    /// as a `ContractKey`, to switch on without comparing Strings.
    @discardableResult
    mutating func fields(_ member: (inout FieldReader, FieldKey) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) -> Bool {
        guard try scanner.peekKind() == .object else {
            try mismatch(expected: "an object")
            return false
        }
        guard try scanner.beginObject() else { return true }
        repeat {
            let key = try scanner.readField()
            switch key {
            case .known(let known): path.append(.field(known))
            case .other(let text): path.append(.key(text))
            }
            try member(&self, key)
            path.removeLast()
        } while try scanner.nextMember()
        return true
    }

    /// A field the contract does not name: kept whole for custom rules.
    mutating func extra() throws(JSONSyntaxError) -> JSONValue {
        scanner.skipWhitespace()
        let start = scanner.offset
        let value = try scanner.readValue()
        if value.depth > Self.maximumExtraDepth {
            fail("nested more than \(Self.maximumExtraDepth) levels deep", at: start)
            return .null
        }
        return value
    }

    /// How deep a field beyond the contract may nest: rules read such fields as Lua tables,
    /// and Lua's stack grows by one slot per level while they are built.
    static let maximumExtraDepth = 32
}

/// The levels of one ladder, with their bytes, to match a level without building a String.
struct LevelSet {
    let levels: [String]
    private let bytes: [[UInt8]]

    init(_ levels: [String]) {
        self.levels = levels
        bytes = levels.map { Array($0.utf8) }
    }

    /// The ladder's level spelled by `text`, if any.
    func level(matching text: UnsafeBufferPointer<UInt8>) -> String? {
        for index in bytes.indices where bytes[index].count == text.count {
            // A plain loop over the two buffers (this runs for every level of every session).
            let equal = bytes[index].withUnsafeBufferPointer { candidate in
                var position = 0
                while position < text.count, candidate[position] == text[position] { position += 1 }
                return position == text.count
            }
            if equal { return levels[index] }
        }
        return nil
    }
}
