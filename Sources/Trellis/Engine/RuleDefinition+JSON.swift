extension RuleDefinition {
    /// The rule as `trellis rules --format json` and `GET /v1/rules` write it: its declarations,
    /// and each parameter's declared type, default and bounds. With `values` (the engine's
    /// `parameterValues` for this rule), each parameter also says the value in force.
    package func json(values: [String: JSONValue]? = nil) -> JSONValue {
        .object([
            "id": .string(id), "path": .string(path), "description": description.map(JSONValue.string) ?? .null,
            "priority": .number(priority), "api": .integer(Int64(api)), "class_level": .bool(evaluatesClass),
            "reads_results": .bool(readsResults),
            "params": .array(parameters.map { parameter in
                var fields: [String: JSONValue] = [
                    "name": .string(parameter.name), "type": .string(parameter.type.rawValue), "default": parameter.defaultValue,
                    "min": parameter.minimum.map(JSONValue.number) ?? .null, "max": parameter.maximum.map(JSONValue.number) ?? .null,
                    "description": parameter.description.map(JSONValue.string) ?? .null,
                ]
                if let values { fields["value"] = values[parameter.name] ?? parameter.defaultValue }
                return .object(fields)
            }),
        ])
    }
}
