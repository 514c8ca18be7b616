/// Writes JSON with keys in the order given, compact or indented by two spaces.
struct JSONWriter {
    private(set) var output = ""
    let pretty: Bool
    private var depth = 0
    /// Per open container: whether it has a member yet.
    private var hasMembers: [Bool] = []
    private var afterKey = false

    init(pretty: Bool) {
        self.pretty = pretty
    }

    /// The text written since the last call, handed over so that a long document can be
    /// written out in pieces; the writer keeps its place in the document.
    mutating func takeOutput() -> String {
        defer { output = "" }
        return output
    }

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasMembers.last else { return }
        if last { output.append(",") }
        hasMembers[hasMembers.count - 1] = true
        newline()
    }

    private mutating func newline() {
        guard pretty else { return }
        output.append("\n")
        output.append(String(repeating: "  ", count: depth))
    }

    mutating func beginObject() {
        beginValue()
        output.append("{")
        depth += 1
        hasMembers.append(false)
    }

    mutating func endObject() {
        close("}")
    }

    mutating func beginArray() {
        beginValue()
        output.append("[")
        depth += 1
        hasMembers.append(false)
    }

    mutating func endArray() {
        close("]")
    }

    /// The open container's elements were written by another writer placed where they go (and
    /// handed out separately): what follows is written as after them.
    mutating func continueAfterElementsWrittenElsewhere() {
        guard !hasMembers.isEmpty else { return }
        hasMembers[hasMembers.count - 1] = true
    }

    private mutating func close(_ bracket: String) {
        depth -= 1
        if hasMembers.removeLast() { newline() }
        output.append(bracket)
    }

    mutating func key(_ key: String) {
        beginValue()
        JSONText.appendQuoted(key, to: &output)
        output.append(pretty ? ": " : ":")
        afterKey = true
    }

    mutating func string(_ value: String) {
        beginValue()
        JSONText.appendQuoted(value, to: &output)
    }

    mutating func number(_ value: Double) {
        beginValue()
        output.append(JSONText.number(value))
    }

    mutating func integer(_ value: Int) {
        beginValue()
        output.append(String(value))
    }

    mutating func bool(_ value: Bool) {
        beginValue()
        output.append(value ? "true" : "false")
    }

    mutating func null() {
        beginValue()
        output.append("null")
    }

    /// A value of open shape, compact even when pretty (evidence stays on one line).
    mutating func value(_ value: JSONValue) {
        beginValue()
        JSONText.append(value, to: &output)
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

    /// A member that is `null` when `value` is nil, for fields whose absence the shape shows.
    mutating func member(_ name: String, orNull value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }
}
