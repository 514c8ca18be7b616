import Foundation

/// A `--map` file's YAML, read so that every mistake is gathered with its line before one error
/// is thrown: what `SheetMap` and `KhanMap` share.
struct MapFile {
    let document: YAMLDocument
    let root: [String: JSONValue]
    private(set) var issues: [String] = []

    /// The text of the map at `path`.
    static func text(at path: String) throws(YAMLFileError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw YAMLFileError(issues: ["\(path): cannot be read as UTF-8 text"])
        }
        return text
    }

    /// Reads `text`. A root that is not a mapping is the error; each top-level key not in `keys`
    /// is an issue. `kind` names the map in messages (`a map`), `keys` in words (`columns, values
    /// and sheets`).
    init(yaml text: String, fileName: String, keys: [String], kind: String, keysInWords: String) throws(YAMLFileError) {
        do {
            document = try YAMLDocument(text: text, fileName: fileName)
        } catch {
            throw YAMLFileError(issues: [error.description])
        }
        guard case .object(let root) = document.value else {
            throw YAMLFileError(issues: ["\(document.location(of: "")): \(kind) is a mapping with \(keysInWords)"])
        }
        self.root = root
        for key in root.keys.sorted() where !keys.contains(key) {
            problem(key, "unknown key (\(kind) has \(keysInWords))")
        }
    }

    mutating func problem(_ path: String, _ message: String) {
        issues.append("\(document.location(of: path)): \(path): \(message)")
    }

    /// The mapping under the top-level `key`: empty when absent or null, and with an issue when
    /// it is not a mapping.
    mutating func entries(_ key: String) -> [String: JSONValue] {
        guard let value = root[key], value != .null else { return [:] }
        guard case .object(let members) = value else {
            problem(key, "expected a mapping")
            return [:]
        }
        return members
    }

    /// A scalar as the text a person wrote: strings, numbers, booleans; nil for anything else.
    static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .number(let number): SheetNumber.text(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// Throws every issue gathered, if there is one.
    func check() throws(YAMLFileError) {
        guard issues.isEmpty else { throw YAMLFileError(issues: issues) }
    }
}
