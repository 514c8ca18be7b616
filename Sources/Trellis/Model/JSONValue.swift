/// A JSON value whose shape the contract leaves open: fields a document adds beyond the
/// contract, rule parameters, and the `evidence` a rule attaches to a recommendation.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The value as a Swift string, when it is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as a double, when it is a number of either kind.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// A short phrase naming the value for an error message: `"ten"`, `12.5`, `an object`.
    var briefDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return JSONText.number(value)
        case .string(let value):
            let shown = value.count > 40 ? String(value.prefix(37)) + "..." : value
            return JSONText.quoted(shown)
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The name of the value's JSON type, for "expected X, got Y" messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
