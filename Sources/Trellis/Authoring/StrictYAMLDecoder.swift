import Foundation
import Yams

/// A YAML file of an import that cannot be used (a gradebook profile, an assignment map, a sheet
/// or Khan map); each issue names its place as `file:line:column: key path: message`.
package struct YAMLFileError: Error, Sendable, CustomStringConvertible {
    /// One line per problem.
    package var issues: [String]

    package var description: String { issues.joined(separator: "\n") }
}

/// Decodes a YAML file into a `Decodable` type with Yams, so that every mistake names its line:
/// a key the type does not know (types call `rejectUnknownKeys` first), a value of the wrong
/// kind, a required key left out. Yams says where in the tree a value failed (its coding path);
/// this finds that place's line in the composed tree.
enum StrictYAMLDecoder {
    /// The decoded value, and the places of its keys (for messages about a key that decoded
    /// well but matched nothing later, such as a map's assignment title).
    static func decode<T: Decodable>(_ type: T.Type, from text: String, fileName: String) throws(YAMLFileError) -> (value: T, places: YAMLPlaces) {
        let root: Node?
        do {
            root = try YAMLDocument.compose(text, fileName: fileName)
        } catch {
            throw YAMLFileError(issues: [error.description])
        }
        let places = YAMLPlaces(root: root, fileName: fileName)
        do {
            // An empty file decodes as an empty mapping, so that its required keys are named.
            return (try YAMLDecoder().decode(type, from: root ?? Node([] as [(Node, Node)])), places)
        } catch let unknown as UnknownKeyError {
            throw YAMLFileError(issues: ["\(places.location(unknown.path)): \(YAMLPlaces.display(unknown.path)): unknown key (expected \(unknown.allowed.joined(separator: ", ")))"])
        } catch let decoding as DecodingError {
            throw YAMLFileError(issues: [places.describe(decoding)])
        } catch {
            throw YAMLFileError(issues: ["\(fileName): \(error)"])
        }
    }

    /// Reads `path` as UTF-8 text and decodes it.
    static func decode<T: Decodable>(_ type: T.Type, contentsOf path: String) throws(YAMLFileError) -> (value: T, places: YAMLPlaces) {
        guard let data = FileManager.default.contents(atPath: path) else { throw YAMLFileError(issues: ["\(path): cannot be read"]) }
        guard let text = String(data: data, encoding: .utf8) else { throw YAMLFileError(issues: ["\(path): not UTF-8 text"]) }
        return try decode(type, from: text, fileName: path)
    }

    /// A key of a mapping that its type does not read.
    struct UnknownKeyError: Error {
        var path: [String]
        var allowed: [String]
    }

    /// Any key, to list those a mapping holds.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init(intValue: Int) {
            self.stringValue = String(intValue)
            self.intValue = intValue
        }
    }
}

extension Decoder {
    /// Throws for the first key (in file order's sort) of this mapping that `Keys` does not name.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try self.container(keyedBy: StrictYAMLDecoder.AnyKey.self)
        let allowed = Keys.allCases.map(\.stringValue)
        for key in container.allKeys.map(\.stringValue).sorted() where !allowed.contains(key) {
            throw StrictYAMLDecoder.UnknownKeyError(path: YAMLPlaces.components(codingPath) + [key], allowed: allowed)
        }
    }
}

/// Where each key of a YAML file stands, by its path (`skills`, `skills.Quiz 1`), as
/// `line:column` of the key (the value's place for sequence items and the root).
struct YAMLPlaces: Sendable {
    let fileName: String
    private var marks: [[String]: (line: Int, column: Int)] = [:]

    init(root: Node?, fileName: String) {
        self.fileName = fileName
        if let root { record(root, path: []) }
    }

    private mutating func record(_ node: Node, path: [String]) {
        if marks[path] == nil, let mark = node.mark { marks[path] = (mark.line, mark.column) }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let child = path + [key.scalar?.string ?? "\(key)"]
                if let mark = key.mark { marks[child] = (mark.line, mark.column) }
                record(value, path: child)
            }
        case .sequence(let sequence):
            for (index, value) in sequence.enumerated() { record(value, path: path + ["[\(index)]"]) }
        default: break
        }
    }

    /// `file:line:column` of the key at `path`, or of its nearest parent that has a place.
    func location(_ path: [String]) -> String {
        place(path).map { "\(fileName):\($0.line):\($0.column)" } ?? fileName
    }

    /// The line of the key at `path`, or of its nearest parent that has a place.
    func line(_ path: [String]) -> Int? { place(path)?.line }

    private func place(_ path: [String]) -> (line: Int, column: Int)? {
        var current = path
        while true {
            if let mark = marks[current] { return mark }
            guard !current.isEmpty else { return nil }
            current.removeLast()
        }
    }

    static func components(_ codingPath: [any CodingKey]) -> [String] {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
    }

    /// `cells.statuses.Missing`, `student.id[1]`.
    static func display(_ path: [String]) -> String {
        path.reduce("") { text, part in part.hasPrefix("[") || text.isEmpty ? text + part : text + "." + part }
    }

    /// A decoding error in plain words, at its place.
    func describe(_ error: DecodingError) -> String {
        let path: [String]
        let message: String
        switch error {
        case .typeMismatch(let type, let context):
            path = Self.components(context.codingPath)
            message = "expected \(Self.kind(type))"
        case .valueNotFound(let type, let context):
            path = Self.components(context.codingPath)
            message = "expected \(Self.kind(type)), got nothing"
        case .keyNotFound(let key, let context):
            path = Self.components(context.codingPath) + [key.stringValue]
            return "\(location(Self.components(context.codingPath))): \(Self.display(path)): required, and not given"
        case .dataCorrupted(let context):
            path = Self.components(context.codingPath)
            message = context.debugDescription
        @unknown default:
            return "\(fileName): \(error)"
        }
        return "\(location(path)): \(path.isEmpty ? "" : Self.display(path) + ": ")\(message)"
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return String(describing: type).hasPrefix("Array") ? "a list" : "a mapping"
        }
    }
}
