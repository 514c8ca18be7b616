import Foundation
import Trellis
import Yams

/// Checks JSON values against the schemas of openapi.yaml (OpenAPI 3.1, JSON Schema): the
/// keywords the file uses, `$ref`, `type` (one or several), `const`, `enum`, `pattern`,
/// `minimum`, `exclusiveMinimum`, `required`, `properties`, `additionalProperties`, `items`,
/// `allOf`, `oneOf`. A keyword it
/// does not know fails the check, so that the file cannot use one that is silently ignored.
/// Immutable once read, so shared across tasks; `Any` cannot say so itself.
struct OpenAPIDocument: @unchecked Sendable {
    let root: [String: Any]

    init(path: URL) throws {
        let text = try String(contentsOf: path, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw SchemaError("openapi.yaml is not a mapping") }
        self.root = root
    }

    /// Every (path, method, status) the file documents.
    var operations: Set<String> {
        var result: Set<String> = []
        for (path, item) in root["paths"] as? [String: Any] ?? [:] {
            for (method, operation) in item as? [String: Any] ?? [:] {
                for status in ((operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]).keys {
                    result.insert("\(method.uppercased()) \(path) \(status)")
                }
            }
        }
        return result
    }

    /// The documented response for an operation and status, with `$ref`s followed.
    func response(path: String, method: String, status: Int) throws -> [String: Any] {
        guard let item = (root["paths"] as? [String: Any])?[path] as? [String: Any] else { throw SchemaError("\(path) is not in openapi.yaml") }
        guard let operation = item[method.lowercased()] as? [String: Any] else { throw SchemaError("\(method) \(path) is not in openapi.yaml") }
        guard let response = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any] else {
            throw SchemaError("\(method) \(path) does not document status \(status)")
        }
        return try resolve(response)
    }

    func resolve(_ node: [String: Any]) throws -> [String: Any] {
        guard let reference = node["$ref"] as? String else { return node }
        guard reference.hasPrefix("#/") else { throw SchemaError("only local references are supported: \(reference)") }
        var current: Any = root
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = (current as? [String: Any])?[String(part)] else { throw SchemaError("\(reference) points nowhere") }
            current = next
        }
        guard let target = current as? [String: Any] else { throw SchemaError("\(reference) is not an object") }
        return try resolve(target)
    }

    /// The problems of `value` against `schema`, each with its JSON path; empty when it conforms.
    func problems(_ value: JSONValue, schema rawSchema: [String: Any], at path: String = "$") throws -> [String] {
        let schema = try resolve(rawSchema)
        let known: Set<String> = [
            "type", "const", "enum", "pattern", "minimum", "exclusiveMinimum", "required", "properties", "additionalProperties", "items", "allOf",
            "oneOf", "description",
        ]
        if let unknown = schema.keys.first(where: { !known.contains($0) }) { throw SchemaError("\(path): unsupported keyword \(unknown)") }
        var problems: [String] = []
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? ""]
            if !allowed.contains(where: { Self.value(value, is: $0) }) {
                return ["\(path): expected \(allowed.joined(separator: " or ")), got \(value.jsonText)"]
            }
        }
        if let constant = schema["const"], !Self.equal(value, constant) { problems.append("\(path): expected \(constant), got \(value.jsonText)") }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal(value, $0) }) {
            problems.append("\(path): \(value.jsonText) is not one of \(options)")
        }
        if let pattern = schema["pattern"] as? String, case .string(let text) = value, text.range(of: pattern, options: .regularExpression) == nil {
            problems.append("\(path): \(text) does not match \(pattern)")
        }
        if let minimum = Self.number(schema["minimum"]), let number = value.doubleValue, number < minimum {
            problems.append("\(path): \(value.jsonText) is below the minimum \(minimum)")
        }
        if let bound = Self.number(schema["exclusiveMinimum"]), let number = value.doubleValue, number <= bound {
            problems.append("\(path): \(value.jsonText) is not above \(bound)")
        }
        for part in schema["allOf"] as? [[String: Any]] ?? [] { problems += try self.problems(value, schema: part, at: path) }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let matching = try choices.filter { try self.problems(value, schema: $0, at: path).isEmpty }.count
            if matching != 1 { problems.append("\(path): matches \(matching) of the oneOf schemas, not exactly 1") }
        }
        if case .object(let object) = value {
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path): required member \(name) is missing")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in object.keys.sorted() {
                let member = object[name]!
                if let memberSchema = properties[name] as? [String: Any] {
                    problems += try self.problems(member, schema: memberSchema, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] as? Bool, !additional {
                    problems.append("\(path): member \(name) is not in the schema")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    problems += try self.problems(member, schema: additional, at: "\(path).\(name)")
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { problems += try self.problems(element, schema: items, at: "\(path)[\(index)]") }
        }
        return problems
    }

    private static func value(_ value: JSONValue, is type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .integer): true
        case ("integer", .number(let number)): number.rounded() == number
        case ("number", .integer), ("number", .number): true
        default: false
        }
    }

    /// A YAML number of the schema (Yams reads `0` as an Int, `0.5` as a Double).
    private static func number(_ value: Any?) -> Double? {
        (value as? Int).map(Double.init) ?? (value as? Double)
    }

    /// A JSON value against a YAML scalar of the schema (`const`, `enum`).
    private static func equal(_ value: JSONValue, _ expected: Any) -> Bool {
        switch value {
        case .null: expected is NSNull
        case .string(let text): (expected as? String) == text
        case .integer(let number): (expected as? Int).map { Int64($0) == number } ?? false
        case .number(let number): (expected as? Double) == number
        case .bool(let flag): (expected as? Bool) == flag
        default: false
        }
    }
}

struct SchemaError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
