import Foundation
import Testing

@testable import Trellis

/// The JSON text every output format shares, written as bytes: the same text as escaping
/// character by character (the way it was written before it was made of bytes), for every
/// character a terminal acts on and the ones beside them that it must leave alone.
@Suite("JSON text")
struct JSONTextTests {
    /// Escaping by Unicode scalar, as JSONText did it on `String`s: the oracle.
    static func escapedByScalar(_ string: String) -> String {
        var output = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case let control where control.value < 0x20 || TerminalText.needsEscape(control):
                let hex = String(control.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    static let samples: [String] = [
        "", "plain", "a \"quoted\" word", #"back\slash"#, "line\nbreak\r\n\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
        // C1 controls and the neighbours of their lead byte (C2) that stay as they are.
        "\u{80}\u{85}\u{9F}", "\u{A0}no-break\u{A9}\u{BF}",
        // U+061C (lead D8) and other characters that share its lead byte.
        "\u{61C}", "\u{600}\u{61B}\u{61D}\u{63F}",
        // The bidirectional and separator characters (lead E2), and others that share it.
        "bidi \u{202E}dloh\u{202C} \u{2066}x\u{2069} \u{200F}\u{2028}line\u{2029}para", "\u{200E}\u{202A}\u{202B}\u{202D}\u{2067}\u{2068}",
        "\u{2014} dash \u{20AC} euro \u{2026} \u{200D}\u{2065}\u{206A}\u{2027}\u{202F}\u{2FFF}",
        "é ü ß 日本語 🙂 👩‍👩‍👧 e\u{301}", String(repeating: "long plain text ", count: 40) + "\u{7}end",
    ]

    @Test func stringsAreEscapedAsCharacterByCharacter() {
        for sample in Self.samples {
            #expect(JSONText.quoted(sample) == Self.escapedByScalar(sample), "\(Array(sample.unicodeScalars))")
            var bytes: [UInt8] = []
            JSONText.appendQuoted(sample, to: &bytes)
            #expect(bytes == Array(Self.escapedByScalar(sample).utf8))
        }
    }

    @Test func numbersAreWrittenAsStringDescribingThem() {
        let integers: [Int64] = [0, 7, -7, 10, 99, 100, 123_456_789, -1_000_000_000_000, .max, .min]
        for integer in integers {
            var bytes: [UInt8] = []
            JSONText.appendInteger(integer, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(integer))
        }
        let numbers: [(Double, String)] = [
            (50, "50"), (-0.0, "0"), (12.5, "12.5"), (-3, "-3"), (1e15, "1000000000000000.0"), (999_999_999_999_999, "999999999999999"), (0.1, "0.1"),
            (.nan, "null"), (.infinity, "null"),
        ]
        for (number, text) in numbers { #expect(JSONText.number(number) == text) }
    }

    @Test func objectsSortTheirKeysAndNestCompactly() {
        let value = JSONValue.object([
            "b": .array([.integer(1), .number(2.5), .null, .bool(true)]), "a": .string("x\"y"), "é": .object([:]), "Z": .array([]),
        ])
        #expect(value.jsonText == #"{"Z":[],"a":"x\"y","b":[1,2.5,null,true],"é":{}}"#)
    }

    @Test func aPrettyWriterIndentsByTwoSpacesAndHandsItsBytesOver() {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.member("id", "s-1")
        writer.key("list")
        writer.beginArray()
        writer.integer(1)
        writer.object(["a": "x", "b": nil])
        writer.endArray()
        writer.endObject()
        writer.newlineAfterDocument()
        var taken: [UInt8] = []
        writer.take(into: &taken)
        #expect(String(decoding: taken, as: UTF8.self) == "{\n  \"id\": \"s-1\",\n  \"list\": [\n    1,\n    {\n      \"a\": \"x\"\n    }\n  ]\n}\n")
        #expect(writer.bytes.isEmpty)
    }
}
