/// A parameter a rule declares: its default and what values it accepts.
///
/// In Lua, `params = { fade_percent = { default = 80, type = "number", min = 0, max = 100,
/// description = "..." } }`; a plain value (`fade_percent = 80`) declares only the default.
public struct RuleParameter: Sendable, Hashable {
    /// The types a parameter may declare.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case number, integer, string, boolean, list
    }

    public var name: String
    public var defaultValue: JSONValue
    public var type: ValueType
    public var minimum: Double?
    public var maximum: Double?
    public var description: String?

    public init(name: String, defaultValue: JSONValue, type: ValueType, minimum: Double? = nil, maximum: Double? = nil, description: String? = nil) {
        self.name = name
        self.defaultValue = defaultValue
        self.type = type
        self.minimum = minimum
        self.maximum = maximum
        self.description = description
    }

    /// The type a default value implies.
    static func inferredType(of value: JSONValue) -> ValueType? {
        switch value {
        case .integer: .integer
        case .number: .number
        case .string: .string
        case .bool: .boolean
        case .array: .list
        case .null, .object: nil
        }
    }

    /// Why `value` does not fit, or nil when it does.
    /// `problem(with:)` for a value given from outside the rule (a configuration, a rule test's
    /// `params`, `--param`), where `yes` or `off` for a boolean is a YAML 1.1 habit to point out.
    func problem(withGiven value: JSONValue) -> String? {
        if type == .boolean, let fix = YAMLBooleanWords.fix(for: value) { return fix }
        return problem(with: value)
    }

    func problem(with value: JSONValue) -> String? {
        switch (type, value) {
        case (.number, .integer), (.number, .number), (.string, .string), (.boolean, .bool), (.list, .array): break
        case (.integer, .integer): break
        case (.integer, .number(let number)) where number.rounded() == number: break
        default: return "expected \(type == .integer ? "a whole number" : "a \(type.rawValue)"), got \(value.briefDescription)"
        }
        if let number = value.doubleValue {
            if let minimum, number < minimum { return "\(value.briefDescription) is below the minimum \(JSONText.number(minimum))" }
            if let maximum, number > maximum { return "\(value.briefDescription) is above the maximum \(JSONText.number(maximum))" }
        }
        return nil
    }
}
