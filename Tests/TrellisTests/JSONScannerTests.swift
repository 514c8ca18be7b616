import Testing
@testable import Trellis

// MARK: - Helpers

/// Runs `body` with a scanner over `bytes` (the scanner only borrows the buffer).
private func scanning<T>(_ bytes: [UInt8], _ body: (inout JSONScanner) throws -> T) throws -> T {
    try bytes.withUnsafeBufferPointer { buffer in
        var scanner = JSONScanner(buffer)
        return try body(&scanner)
    }
}

private func scanning<T>(_ text: String, _ body: (inout JSONScanner) throws -> T) throws -> T {
    try scanning(Array(text.utf8), body)
}

/// The syntax error `body` throws, or nil when it throws none.
private func syntaxError<T>(_ bytes: [UInt8], _ body: (inout JSONScanner) throws -> T) -> JSONSyntaxError? {
    do {
        _ = try scanning(bytes, body)
        return nil
    } catch let error as JSONSyntaxError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

private func syntaxError<T>(_ text: String, _ body: (inout JSONScanner) throws -> T) -> JSONSyntaxError? {
    syntaxError(Array(text.utf8), body)
}

/// A JSON text with the error the scanner must report for it.
struct SyntaxCase: Sendable, CustomTestStringConvertible {
    var bytes: [UInt8]
    var message: String
    var offset: Int

    init(_ text: String, _ message: String, at offset: Int) {
        self.bytes = Array(text.utf8)
        self.message = message
        self.offset = offset
    }

    init(bytes: [UInt8], _ message: String, at offset: Int) {
        self.bytes = bytes
        self.message = message
        self.offset = offset
    }

    var testDescription: String {
        String(decoding: bytes, as: UTF8.self).debugDescription
    }
}

// MARK: - Strings

@Suite("JSONScanner")
struct JSONScannerTests {
    @Test("strings: every escape, \\u escapes and surrogate pairs", arguments: [
        (#""plain""#, "plain"),
        (#""""#, ""),
        (#""q\"uote""#, "q\"uote"),
        (#""back\\slash""#, "back\\slash"),
        (#""sl\/ash""#, "sl/ash"),
        (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\u00E9\u00e9""#, "éé"),
        (#""nul\u0000byte""#, "nul\u{0}byte"),
        (#""\u001f""#, "\u{1F}"),
        (#""\uD83D\uDE00""#, "😀"),
        (#""\ud834\udd1e clef""#, "𝄞 clef"),
        (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
        (#""é raw 😀 ""#, "é raw 😀 "),
        (#""raw é before\nthe escape""#, "raw é before\nthe escape"),
        (#""\n""#, "\n"),
    ])
    func readsStrings(json: String, expected: String) throws {
        try scanning(json) { scanner in
            let v1 = try scanner.readString()
            #expect(v1 == expected)
            #expect(scanner.isAtEnd)
        }
    }

    @Test("a string as a whole value, through JSONValue(parsing:)")
    func stringThroughPublicParser() {
        #expect(JSONValue(parsing: #"  "a\tb\u00e9\uD83D\uDE00"  "#) == .string("a\tbé😀"))
    }

    @Test("string errors name the problem and its byte offset", arguments: [
        SyntaxCase(#""abc"#, "unterminated string", at: 0),
        SyntaxCase(#"   "abc"#, "unterminated string", at: 3),
        SyntaxCase(#""ab\n"#, "unterminated string", at: 0),
        SyntaxCase(#""ab\"#, "unterminated string", at: 0),
        SyntaxCase(#""ab\""#, "unterminated string", at: 0),
        SyntaxCase("\"a\tb\"", "unescaped control character in a string", at: 2),
        SyntaxCase("\"a\nb\"", "unescaped control character in a string", at: 2),
        SyntaxCase("\"\\n a\u{1}\"", "unescaped control character in a string", at: 5),
        SyntaxCase(#""\u12G4""#, #"invalid hex digit in a \u escape"#, at: 5),
        SyntaxCase(#""\u12"#, #"unexpected end of input in a \u escape"#, at: 3),
        SyntaxCase(#""\uD83D""#, #"unpaired surrogate in a \u escape"#, at: 1),
        SyntaxCase(#""\uD83Dx""#, #"unpaired surrogate in a \u escape"#, at: 1),
        SyntaxCase(#""\uD83D\u0041""#, #"unpaired surrogate in a \u escape"#, at: 1),
        SyntaxCase(#""\uD83D\uD83D""#, #"unpaired surrogate in a \u escape"#, at: 1),
        SyntaxCase(#""\uDE00""#, #"unpaired surrogate in a \u escape"#, at: 1),
        SyntaxCase(#""ok\uDE00""#, #"unpaired surrogate in a \u escape"#, at: 3),
        SyntaxCase(#"abc"#, #"expected '"', found 'a'"#, at: 0),
        SyntaxCase(#""#, #"unexpected end of input, expected '"'"#, at: 0),
    ])
    func stringErrors(_ example: SyntaxCase) {
        let error = syntaxError(example.bytes) { try $0.readString() }
        #expect(error?.message == example.message)
        #expect(error?.offset == example.offset)
    }

    /// The message quotes the escape as it was written: `\q`.
    @Test("an invalid escape is named as written")
    func invalidEscape() {
        let error = syntaxError(#""a\qb""#) { try $0.readString() }
        #expect(error?.offset == 2)
        #expect(error?.message == #"invalid escape '\q'"#)
    }

    @Test("invalid UTF-8 in a string is rejected", arguments: [
        [0x22, 0xFF, 0x22],  // never valid
        [0x22, 0x61, 0xC3, 0x28, 0x22],  // a lead byte followed by ASCII
        [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
        [0x22, 0xE2, 0x82, 0x22],  // a truncated 3-byte sequence
        [0x22, 0x80, 0x22],  // a lone continuation byte
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // a UTF-16 surrogate encoded as UTF-8
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0x5C, 0x6E, 0xFF, 0x22],  // after an escape: "\n" then 0xFF
        [0x22, 0xFF, 0x5C, 0x6E, 0x22],  // before an escape
    ] as [[UInt8]])
    func invalidUTF8(_ bytes: [UInt8]) {
        let error = syntaxError(bytes) { try $0.readString() }
        #expect(error?.message == "invalid UTF-8 in a string")
        #expect(error?.offset == 1)
    }

    @Test("valid multi-byte UTF-8 is kept byte for byte")
    func validUTF8() throws {
        let bytes: [UInt8] = [0x22] + Array("ä€𝄞".utf8) + [0x22]
        try scanning(bytes) { scanner in
            let v2 = try scanner.readString()
            #expect(v2 == "ä€𝄞")
        }
    }

    @Test("a key is a string followed by a colon")
    func readsKeys() throws {
        try scanning(#"{ "k\u00e9y" : 1, "b":2}"#) { scanner in
            let v3 = try scanner.beginObject()
            #expect(v3)
            let v4 = try scanner.readKey()
            #expect(v4 == "kéy")
            let v5 = try scanner.readNumber()
            #expect(v5 == .integer(1))
            let v6 = try scanner.nextMember()
            #expect(v6)
            let v7 = try scanner.readKey()
            #expect(v7 == "b")
            let v8 = try scanner.readNumber()
            #expect(v8 == .integer(2))
            let v9 = try scanner.nextMember()
            #expect(v9 == false)
            #expect(scanner.isAtEnd)
        }
    }

    // MARK: - Numbers

    @Test("numbers: integers stay integers, fractions and exponents are doubles", arguments: [
        ("0", JSONValue.integer(0)),
        ("-0", .integer(0)),
        ("7", .integer(7)),
        ("42", .integer(42)),
        ("-17", .integer(-17)),
        ("9223372036854775807", .integer(Int64.max)),
        ("-9223372036854775808", .integer(Int64.min)),
        ("9223372036854775808", .number(9_223_372_036_854_775_808.0)),
        ("1.5", .number(1.5)),
        ("1.0", .number(1.0)),
        ("-0.25", .number(-0.25)),
        ("0.5", .number(0.5)),
        ("1e3", .number(1000)),
        ("1E+2", .number(100)),
        ("2.5e-3", .number(0.0025)),
        ("-1.5E2", .number(-150)),
        ("0e0", .number(0)),
    ])
    func readsNumbers(text: String, expected: JSONValue) throws {
        try scanning(text) { scanner in
            let value = try scanner.readNumber()
            #expect(value == expected)
            #expect(scanner.isAtEnd)
        }
        #expect(JSONValue(parsing: text) == expected)
    }

    @Test("a number stops at the first byte that cannot continue it")
    func numberStops() throws {
        try scanning("12,3") { scanner in
            let v10 = try scanner.readNumber()
            #expect(v10 == .integer(12))
            #expect(scanner.offset == 2)
        }
        try scanning("0x10") { scanner in
            let v11 = try scanner.readNumber()
            #expect(v11 == .integer(0))
            #expect(scanner.offset == 1)
        }
        #expect(JSONValue(parsing: "0x10") == nil)
    }

    @Test("number errors", arguments: [
        SyntaxCase("01", "invalid number: leading zero", at: 0),
        SyntaxCase("00", "invalid number: leading zero", at: 0),
        SyntaxCase("-01", "invalid number: leading zero", at: 0),
        SyntaxCase("  007", "invalid number: leading zero", at: 2),
        SyntaxCase("1.", "invalid number: no digit after '.'", at: 0),
        SyntaxCase("1.e5", "invalid number: no digit after '.'", at: 0),
        SyntaxCase("1e", "invalid number: no digit in the exponent", at: 0),
        SyntaxCase("1e+", "invalid number: no digit in the exponent", at: 0),
        SyntaxCase("2.5E-x", "invalid number: no digit in the exponent", at: 0),
        SyntaxCase("-", "invalid number", at: 0),
        SyntaxCase("-a", "invalid number", at: 0),
        SyntaxCase("1e400", "number out of range", at: 0),
        SyntaxCase("-1e400", "number out of range", at: 0),
    ])
    func numberErrors(_ example: SyntaxCase) {
        let error = syntaxError(example.bytes) { try $0.readNumber() }
        #expect(error?.message == example.message)
        #expect(error?.offset == example.offset)
    }

    @Test("a value must start with a JSON value's first byte", arguments: [
        SyntaxCase(".5", "unexpected character '.'", at: 0),
        SyntaxCase("+1", "unexpected character '+'", at: 0),
        SyntaxCase("  'single'", "unexpected character '''", at: 2),
        SyntaxCase("", "unexpected end of input", at: 0),
        SyntaxCase(" \n\t ", "unexpected end of input", at: 4),
        SyntaxCase(bytes: [0x01], "unexpected character byte 0x1", at: 0),
        SyntaxCase(bytes: [0xC3, 0xA9], "unexpected character byte 0xC3", at: 0),
    ])
    func peekErrors(_ example: SyntaxCase) {
        let error = syntaxError(example.bytes) { try $0.readValue() }
        #expect(error?.message == example.message)
        #expect(error?.offset == example.offset)
    }

    @Test("literals")
    func literals() throws {
        try scanning(" true false null") { scanner in
            let v12 = try scanner.peekKind()
            #expect(v12 == .bool)
            let v13 = try scanner.readBool()
            #expect(v13 == true)
            let v14 = try scanner.readBool()
            #expect(v14 == false)
            let v15 = try scanner.peekKind()
            #expect(v15 == .null)
            try scanner.readNull()
            #expect(scanner.isAtEnd)
        }
        #expect(syntaxError("tru") { try $0.readBool() }.map { [$0.message, "\($0.offset)"] } == ["unexpected end of input", "0"])
        #expect(syntaxError("trUe") { try $0.readBool() }.map { [$0.message, "\($0.offset)"] } == ["invalid literal, expected 'true'", "0"])
        #expect(syntaxError(" fals") { try $0.readBool() }.map { [$0.message, "\($0.offset)"] } == ["unexpected end of input", "1"])
        #expect(syntaxError("nill") { try $0.readValue() }.map { [$0.message, "\($0.offset)"] } == ["invalid literal, expected 'null'", "0"])
        #expect(syntaxError("[nul]") { try $0.readValue() }.map { [$0.message, "\($0.offset)"] } == ["invalid literal, expected 'null'", "1"])
    }

    // MARK: - Whole values and nesting

    @Test("nested objects and arrays become a tree")
    func nesting() {
        let text = #"""
            {"a": [1, 2.5, "x", true, false, null, {"b": {}}, []],
             "c": {"d": [[-3, {"e": "\u00e9"}]]}}
            """#
        let expected = JSONValue.object([
            "a": .array([.integer(1), .number(2.5), .string("x"), .bool(true), .bool(false), .null, .object(["b": .object([:])]), .array([])]),
            "c": .object(["d": .array([.array([.integer(-3), .object(["e": .string("é")])])])]),
        ])
        #expect(JSONValue(parsing: text) == expected)
    }

    @Test("512 levels of nesting are read; the 513th is refused")
    func nestingLimit() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try #require(JSONValue(parsing: deepest))
        var depth = 1
        while case .array(let elements) = value, let first = elements.first {
            value = first
            depth += 1
        }
        #expect(depth == 512)

        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = syntaxError(tooDeep) { try $0.readValue() }
        #expect(error?.message == "nesting deeper than 512 levels")
        #expect(error?.offset == 512)
        #expect(JSONValue(parsing: tooDeep) == nil)
    }

    @Test("structural errors", arguments: [
        SyntaxCase("[1 2]", "expected ',' or ']' after an array element, found '2'", at: 3),
        SyntaxCase("[1,]", "unexpected character ']'", at: 3),
        SyntaxCase("[1,2", "unexpected end of input, expected ',' or ']'", at: 4),
        SyntaxCase(#"{"a" 1}"#, "expected ':' after the key, found '1'", at: 5),
        SyntaxCase(#"{"a""#, "unexpected end of input, expected ':' after the key", at: 4),
        SyntaxCase(#"{"a":1,}"#, "expected a quoted key, found '}'", at: 7),
        SyntaxCase("{a:1}", "expected a quoted key, found 'a'", at: 1),
        SyntaxCase("{", "unexpected end of input, expected a key", at: 1),
        SyntaxCase(#"{"a":1 "b":2}"#, #"expected ',' or '}' after an object member, found '"'"#, at: 7),
        SyntaxCase(#"{"a":1"#, "unexpected end of input, expected ',' or '}'", at: 6),
        SyntaxCase(#"{"a":1]"#, "expected ',' or '}' after an object member, found ']'", at: 6),
        SyntaxCase("[1}", "expected ',' or ']' after an array element, found '}'", at: 2),
    ])
    func structuralErrors(_ example: SyntaxCase) {
        let error = syntaxError(example.bytes) { try $0.readValue() }
        #expect(error?.message == example.message)
        #expect(error?.offset == example.offset)
    }

    @Test("expectEnd: only whitespace may follow the value")
    func trailingGarbage() throws {
        let error = syntaxError("1  x") { scanner in
            _ = try scanner.readValue()
            try scanner.expectEnd()
        }
        #expect(error?.message == "unexpected 'x' after the end of the document")
        #expect(error?.offset == 3)

        let second = syntaxError("{} {}") { scanner in
            _ = try scanner.readValue()
            try scanner.expectEnd()
        }
        #expect(second?.message == "unexpected '{' after the end of the document")
        #expect(second?.offset == 3)

        try scanning("[1] \r\n\t ") { scanner in
            _ = try scanner.readValue()
            try scanner.expectEnd()
        }
    }

    @Test("JSONValue(parsing:) is nil for anything but exactly one value", arguments: [
        "", "   ", "{} {}", "[1] x", "[1,]", "01", "\"open", "{\"a\":}", "nul", #""\uD800""#, "[1}", "1 2",
    ])
    func parsingRejects(_ text: String) {
        #expect(JSONValue(parsing: text) == nil)
    }

    @Test("JSONValue(parsing:) accepts surrounding whitespace")
    func parsingWhitespace() {
        #expect(JSONValue(parsing: " \n[1, \"two\"]\t\r\n") == .array([.integer(1), .string("two")]))
        #expect(JSONValue(parsing: "null") == .null)
        #expect(JSONValue(parsing: "false") == .bool(false))
    }

    // MARK: - skipValue

    static let skippable = [
        #"{"a": [1, {"b": "x]y,z"}, "q\"}"], "c": {"d": []}, "e": null}"#,
        #"[[[]], [{}], {"k": [1, 2, {"m": "\\"}]}]"#,
        #"{"a": {"b": {"c": {"d": "deep"}}}}"#,
        #"["a", "b", {"c": "d", "e": ["f", "g"]}, "h"]"#,
        #"{"x": ["y", "z"], "w": "v"}"#,
        #""just a \"string\"""#,
        "-12.5e3",
        "true",
        "false",
        "null",
        "{}",
        "[]",
        #"{ "spaced" : [ 1 , 2 ] , "next" : { } }"#,
    ]

    @Test("skipValue stops exactly where readValue stops", arguments: skippable)
    func skipMatchesRead(_ value: String) throws {
        let text = "[" + value + " , 7]"
        let readEnd = try scanning(text) { scanner -> Int in
            _ = try scanner.beginArray()
            _ = try scanner.readValue()
            return scanner.offset
        }
        try scanning(text) { scanner in
            let v16 = try scanner.beginArray()
            #expect(v16)
            try scanner.skipValue()
            #expect(scanner.offset == readEnd)
            let v17 = try scanner.nextElement()
            #expect(v17)
            let v18 = try scanner.readNumber()
            #expect(v18 == .integer(7))
            let v19 = try scanner.nextElement()
            #expect(v19 == false)
            #expect(scanner.isAtEnd)
        }
    }

    @Test("skipValue over a member's value, then the next member")
    func skipInsideObject() throws {
        try scanning(#"{"skip": {"a": [1, {"b": [2, 3]}], "c": "}"}, "keep": 5}"#) { scanner in
            let v20 = try scanner.beginObject()
            #expect(v20)
            let v21 = try scanner.readKey()
            #expect(v21 == "skip")
            try scanner.skipValue()
            let v22 = try scanner.nextMember()
            #expect(v22)
            let v23 = try scanner.readKey()
            #expect(v23 == "keep")
            let v24 = try scanner.readNumber()
            #expect(v24 == .integer(5))
            let v25 = try scanner.nextMember()
            #expect(v25 == false)
        }
    }

    @Test("skipValue reports truncation")
    func skipTruncated() {
        let error = syntaxError(#"{"a": [1, 2"#) { try $0.skipValue() }
        #expect(error?.message == "unexpected end of input, expected ',' or ']'")
        #expect(error?.offset == 11)
        let string = syntaxError(#"["abc"#) { try $0.skipValue() }
        #expect(string?.message == "unterminated string")
        #expect(string?.offset == 1)
        let literal = syntaxError("[tru]") { try $0.skipValue() }
        #expect(literal?.message == "invalid literal, expected 'true'")
    }

    /// skipValue checks the document as much as readValue does: the reader relies on it to
    /// accept or reject the parts of a document it does not read (unknown top-level fields).
    @Test("skipValue rejects what readValue rejects", arguments: [
        "[1}", #"{"a":1]"#, #"{"a":[1}}"#, #"{"a":1,2}"#, #"[1,"k":2]"#, "[1 2]", #"{"a" 1}"#, "[1,]", "[01]",
        #"{"a":1,}"#, #"["x" "y"]"#,
    ])
    func skipRejectsInvalid(_ text: String) {
        #expect(syntaxError(text) { try $0.readValue() } != nil, "readValue accepted \(text)")
        #expect(syntaxError(text) { try $0.skipValue() } != nil, "skipValue accepted \(text)")
    }

    // MARK: - Line and column

    @Test("line and column of a byte offset, counting characters", arguments: [
        ("abc", 0, 1, 1),
        ("abc", 2, 1, 3),
        ("abc", 3, 1, 4),
        ("ab\ncd", 2, 1, 3),
        ("ab\ncd", 3, 2, 1),
        ("ab\ncd", 4, 2, 2),
        ("a\n\n\nb", 4, 4, 1),
        ("a\r\nb", 3, 2, 1),
        ("é€😀x", 9, 1, 4),  // 2 + 3 + 4 bytes before x
        ("é\n😀😀x", 11, 2, 3),
        ("{\"ä\": \"ö\", \"n\": -1}", 18, 1, 17),
        ("ab", 10, 1, 3),  // past the end: the end
        ("", 0, 1, 1),
    ])
    func lineAndColumn(text: String, offset: Int, line: Int, column: Int) {
        let bytes = Array(text.utf8)
        let position = bytes.withUnsafeBufferPointer { JSONScanner.lineAndColumn(of: offset, in: $0) }
        #expect(position.line == line)
        #expect(position.column == column)
    }

    @Test("describe(byte:) quotes printable ASCII and names other bytes in hex")
    func describeByte() {
        #expect(JSONScanner.describe(byte: UInt8(ascii: "x")) == "'x'")
        #expect(JSONScanner.describe(byte: 0x20) == "' '")
        #expect(JSONScanner.describe(byte: 0x7F) == "byte 0x7F")
        #expect(JSONScanner.describe(byte: 0x0A) == "byte 0xA")
        #expect(JSONScanner.describe(byte: 0xC3) == "byte 0xC3")
    }
}

/// The contract's field names are recognised on the bytes of a key, with the unaligned loads a
/// long buffer allows and byte by byte near its end; anything else is an ordinary key.
struct ContractKeyTests {
    private func match(_ text: String, padding: Int) -> ContractKey? {
        let bytes = Array(("\"" + text + "\"" + String(repeating: " ", count: padding)).utf8)
        return bytes.withUnsafeBufferPointer { ContractKey.match(in: $0, from: 1)?.key }
    }

    @Test func everyFieldNameIsRecognised() {
        for key in ContractKey.allCases {
            for padding in [0, 3, 20] {
                #expect(match(key.rawValue, padding: padding) == key, "\(key.rawValue), \(padding) bytes after")
            }
        }
    }

    @Test func otherKeysAreNot() {
        for text in ["", "i", "ids", "Id", "prompt_levels", "prompt_leve", "self_assessment", "self_assessments_", "note", "sessions2", "dat\\u0065", "staff\u{e9}"] {
            for padding in [0, 20] {
                #expect(match(text, padding: padding) == nil, "\(text), \(padding) bytes after")
            }
        }
    }

    @Test func aKnownKeyReadsAsItsField() throws {
        let bytes = Array(#"{"prompt_level": "verbal", "prompt_level2": 1, "d\u0061te": 2}"#.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            #expect(try scanner.beginObject())
            guard case .known(.promptLevel) = try scanner.readField() else { Issue.record("prompt_level"); return }
            #expect(try scanner.readString() == "verbal")
            #expect(try scanner.nextMember())
            guard case .other("prompt_level2") = try scanner.readField() else { Issue.record("prompt_level2"); return }
            _ = try scanner.readNumber()
            #expect(try scanner.nextMember())
            // An escaped spelling is the same key, read the slow way.
            #expect(try scanner.readField().text == "date")
        }
    }
}
