extension Engine {
    /// Loads a rule pack as a school's configuration shapes it: rules turned off, parameter
    /// values, ladders and limits (see `Configuration`).
    ///
    /// ```swift
    /// let settings = try Configuration(contentsOf: "school.yaml")
    /// let engine = try Engine(rulePack: try RulePack(directories: ["rules"]), configuration: settings)
    /// ```
    ///
    /// - Parameters:
    ///   - rulePack: the rules; the bundled pack by default.
    ///   - configuration: a school's settings (`Configuration(contentsOf:)`), or nil.
    ///   - parameters: values that win over the configuration's, by rule id and name.
    ///   - limits: the limits to use; nil for the configuration's, or the defaults.
    ///   - isolation: `.sandboxed` unless you are measuring the sandbox.
    /// - Throws: `TrellisError`: `invalid_rule` issues for a pack that cannot be used,
    ///   `invalid_configuration` ones for a configuration that does not fit the pack (each problem with its YAML line).
    public convenience init(
        rulePack: RulePack = .bundled, configuration: Configuration?, parameters: [String: [String: JSONValue]] = [:], limits: RuleLimits? = nil,
        isolation: Isolation = .sandboxed
    ) throws {
        var pack = rulePack
        var values: [String: [String: JSONValue]] = [:]
        if let configuration {
            (pack, values) = try configuration.resolve(against: try Engine(rulePack: rulePack).rules, pack: rulePack)
        }
        for (rule, overrides) in parameters { values[rule, default: [:]].merge(overrides) { $1 } }
        try self.init(rulePack: pack, parameters: values, limits: limits ?? configuration?.limits ?? RuleLimits(), isolation: isolation)
    }
}
