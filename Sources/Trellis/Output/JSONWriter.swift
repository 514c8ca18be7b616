/// Writes JSON with keys in the order given, compact or indented by two spaces, as UTF-8 bytes.
struct JSONWriter {
    /// What was written since the last `take`.
    private(set) var bytes: [UInt8] = []
    let pretty: Bool
    private var depth = 0
    /// Per open container: whether it has a member yet.
    private var hasMembers: [Bool] = []
    private var afterKey = false

    init(pretty: Bool) {
        self.pretty = pretty
    }

    /// The text written since the last `take`.
    var output: String { String(decoding: bytes, as: UTF8.self) }

    /// The text written since the last call, handed over so that a long document can be
    /// written out in pieces; the writer keeps its place in the document.
    mutating func takeOutput() -> String {
        defer { bytes.removeAll(keepingCapacity: true) }
        return output
    }

    /// Moves what was written since the last `take` to the end of `buffer`, keeping this
    /// writer's storage for what comes next.
    mutating func take(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasMembers.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        hasMembers[hasMembers.count - 1] = true
        newline()
    }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    mutating func beginObject() {
        open(UInt8(ascii: "{"))
    }

    mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    mutating func beginArray() {
        open(UInt8(ascii: "["))
    }

    mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// The open container's elements were written by another writer placed where they go (and
    /// handed out separately): what follows is written as after them.
    mutating func continueAfterElementsWrittenElsewhere() {
        guard !hasMembers.isEmpty else { return }
        hasMembers[hasMembers.count - 1] = true
    }

    private mutating func open(_ bracket: UInt8) {
        beginValue()
        bytes.append(bracket)
        depth += 1
        hasMembers.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if hasMembers.removeLast() { newline() }
        bytes.append(bracket)
    }

    mutating func key(_ key: String) {
        beginValue()
        JSONText.appendQuoted(key, to: &bytes)
        JSONText.appendLiteral(pretty ? ": " : ":", to: &bytes)
        afterKey = true
    }

    mutating func string(_ value: String) {
        beginValue()
        JSONText.appendQuoted(value, to: &bytes)
    }

    mutating func number(_ value: Double) {
        beginValue()
        JSONText.appendNumber(value, to: &bytes)
    }

    mutating func integer(_ value: Int) {
        beginValue()
        JSONText.appendInteger(Int64(value), to: &bytes)
    }

    mutating func bool(_ value: Bool) {
        beginValue()
        JSONText.appendLiteral(value ? "true" : "false", to: &bytes)
    }

    mutating func null() {
        beginValue()
        JSONText.appendLiteral("null", to: &bytes)
    }

    /// A value of open shape, compact even when pretty (evidence stays on one line).
    mutating func value(_ value: JSONValue) {
        beginValue()
        JSONText.append(value, to: &bytes)
    }

    // Members that are left out when nil.

    mutating func member(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func member(_ name: String, _ value: JSONValue?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    /// String members in the order given, each left out when nil.
    mutating func members(_ members: KeyValuePairs<String, String?>) {
        for (name, value) in members { member(name, value) }
    }

    /// An object of string members in the order given, each left out when nil.
    mutating func object(_ members: KeyValuePairs<String, String?>) {
        beginObject()
        self.members(members)
        endObject()
    }

    /// Free-form members (a record's extra fields), sorted by name so that the same record
    /// always reads the same.
    mutating func members(sortedByKey members: [String: JSONValue]) {
        guard !members.isEmpty else { return }
        for (name, value) in members.sorted(by: { $0.key < $1.key }) { member(name, value) }
    }

    /// The line break that ends a document (an NDJSON line, a whole report).
    mutating func newlineAfterDocument() {
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A member that is `null` when `value` is nil, for fields whose absence the shape shows.
    mutating func member(_ name: String, orNull value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }
}
