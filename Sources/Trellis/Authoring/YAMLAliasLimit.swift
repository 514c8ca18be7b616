import CYaml

/// Bounds what a YAML file's aliases stand for, before the file is built into a tree.
///
/// An alias repeats a whole anchored value, so nine lines of ten aliases each stand for a billion
/// values (an "alias bomb"): building them takes gigabytes and minutes, and so does hashing one
/// used as a mapping key, which Yams does while it composes. This pass reads libyaml's events
/// (the parser Yams itself uses) without building anything, keeps the expanded size of every
/// anchor, and stops at the first alias that takes the document past the limit.
enum YAMLAliasLimit {
    /// How many values aliases may add beyond those written out: far more than any configuration
    /// or rule test shares through anchors, far less than what would take long to build.
    static let maximumAddedValues = 250_000
    static let maximumText = "250,000"

    /// Where the document went past the limit.
    struct Exceeded: Error {
        var line: Int
        var column: Int
        var anchor: String
    }

    /// The first alias that goes past the limit, or nil. A file libyaml cannot parse is left to
    /// Yams, which reports the syntax error.
    static func check(_ text: String, limit: Int = maximumAddedValues) -> Exceeded? {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return nil }
        return bytes.withUnsafeMutableBufferPointer { buffer -> Exceeded? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Values so far, written out and stood for by aliases; and the anchors' sizes.
            var expanded = 0
            var written = 0
            var sizes: [String: Int] = [:]
            var open: [(anchor: String?, start: Int)] = []
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    expanded += 1
                    written += 1
                    if let anchor = name(event.data.scalar.anchor) { sizes[anchor] = 1 }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                    open.append((name(anchor), expanded))
                    expanded += 1
                    written += 1
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let collection = open.popLast() else { break }
                    if let anchor = collection.anchor { sizes[anchor] = expanded - collection.start }
                case YAML_ALIAS_EVENT:
                    // An alias of an anchor still open (a cycle) or unknown is Yams's to refuse.
                    let anchor = name(event.data.alias.anchor) ?? ""
                    let (sum, overflow) = expanded.addingReportingOverflow(sizes[anchor] ?? 1)
                    expanded = sum
                    if overflow || expanded - written > limit {
                        return Exceeded(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1, anchor: anchor)
                    }
                default:
                    break
                }
            }
            return nil
        }
    }

    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
