/// The start and end tags of serialized HTML (Chromium's `--dump-dom`), in order, with their
/// attributes decoded: enough to find the report's marked-up elements and the text between
/// them. Raw text (`<style>`, `<script>`) and comments are skipped.
struct DOMTags {
    struct Tag {
        var name: String
        var isEnd: Bool
        var attributes: [String: String]
        /// Offsets of `<` and just after `>` in the UTF-8 bytes.
        var start: Int
        var end: Int

        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    }

    let bytes: [UInt8]
    private(set) var tags: [Tag] = []

    init(_ html: String) {
        bytes = Array(html.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if starts(with: "<!--", at: index) {
                index = find("-->", from: index + 4).map { $0 + 3 } ?? bytes.count
                continue
            }
            var cursor = index + 1
            let isEnd = cursor < bytes.count && bytes[cursor] == UInt8(ascii: "/")
            if isEnd { cursor += 1 }
            guard cursor < bytes.count, Self.isLetter(bytes[cursor]) else {
                index += 1
                continue
            }
            let nameStart = cursor
            while cursor < bytes.count, !Self.isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">"), bytes[cursor] != UInt8(ascii: "/") { cursor += 1 }
            let name = String(decoding: bytes[nameStart..<cursor], as: UTF8.self).lowercased()
            var attributes: [String: String] = [:]
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ">") {
                if Self.isSpace(bytes[cursor]) || bytes[cursor] == UInt8(ascii: "/") {
                    cursor += 1
                    continue
                }
                let keyStart = cursor
                while cursor < bytes.count, !Self.isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: "="), bytes[cursor] != UInt8(ascii: ">") { cursor += 1 }
                let key = String(decoding: bytes[keyStart..<cursor], as: UTF8.self).lowercased()
                var value = ""
                if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") {
                    cursor += 1
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") {
                        let quote = bytes[cursor]
                        let valueStart = cursor + 1
                        cursor = valueStart
                        while cursor < bytes.count, bytes[cursor] != quote { cursor += 1 }
                        value = Self.decode(String(decoding: bytes[valueStart..<min(cursor, bytes.count)], as: UTF8.self))
                        cursor += 1
                    } else {
                        let valueStart = cursor
                        while cursor < bytes.count, !Self.isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">") { cursor += 1 }
                        value = Self.decode(String(decoding: bytes[valueStart..<cursor], as: UTF8.self))
                    }
                }
                attributes[key] = value
            }
            let end = min(cursor + 1, bytes.count)
            tags.append(Tag(name: name, isEnd: isEnd, attributes: attributes, start: index, end: end))
            index = end
            if !isEnd, name == "style" || name == "script" {
                let close = find("</\(name)", from: index) ?? bytes.count
                index = close
            }
        }
    }

    /// The text between two offsets, tags removed and character references decoded.
    func text(from start: Int, to end: Int) -> String {
        var output: [UInt8] = []
        var inside = false
        for byte in bytes[start..<end] {
            if byte == UInt8(ascii: "<") { inside = true } else if byte == UInt8(ascii: ">") { inside = false } else if !inside { output.append(byte) }
        }
        return Self.decode(String(decoding: output, as: UTF8.self))
    }

    /// The index of the end tag that closes the start tag at `index` (same name, nesting counted).
    func closing(_ index: Int) -> Int? {
        let name = tags[index].name
        var depth = 0
        for position in index..<tags.count where tags[position].name == name {
            depth += tags[position].isEnd ? -1 : 1
            if depth == 0 { return position }
        }
        return nil
    }

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = text
        for (entity, character) in [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\u{A0}"), ("&amp;", "&")] {
            output = output.replacing(entity, with: character)
        }
        return output
    }

    private func starts(with text: String, at index: Int) -> Bool {
        let needle = Array(text.utf8)
        return index + needle.count <= bytes.count && Array(bytes[index..<index + needle.count]) == needle
    }

    private func find(_ text: String, from index: Int) -> Int? {
        let needle = Array(text.utf8)
        var position = index
        while position + needle.count <= bytes.count {
            if bytes[position] == needle[0], Array(bytes[position..<position + needle.count]) == needle { return position }
            position += 1
        }
        return nil
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }
}
