import Foundation

/// A school's settings, in YAML, so that nobody edits Lua to say "90% instead of 80%":
///
/// ```yaml
/// rules:
///   prompt-fading:
///     params:
///       fade_percent: 90
///   choice-menu: false        # the same as `enabled: false`
/// ladders:
///   prompt: [hand_over_hand, model, verbal, independent]
/// limits:
///   instructions: 10000000
///   memory_mb: 64
///   time_ms: 1000
/// ```
///
/// Every error names its line in the file and, for a parameter, what the rule declares.
public struct Configuration: Sendable {
    /// Per rule id: whether it runs (nil: as the pack has it) and parameter values.
    public var rules: [String: RuleSettings]
    /// Ladders that replace the defaults (a document's own ladders still win).
    public var ladders: Ladders?
    public var limits: RuleLimits?
    private let yaml: YAMLDocument

    /// One rule's settings.
    public struct RuleSettings: Sendable {
        public var enabled: Bool?
        public var parameters: [String: JSONValue]
    }

    /// Reads the configuration at `path`.
    ///
    /// - Throws: ``TrellisError``, every problem an ``TrellisIssue/Kind/invalidConfiguration``
    ///   issue with its file:line:column and the setting's path.
    public init(contentsOf path: String) throws(TrellisError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TrellisError(.invalidConfiguration, "cannot be read as UTF-8 text", location: path)
        }
        try self.init(yaml: text, fileName: path)
    }

    /// Reads a configuration from YAML text, naming `fileName` in every location.
    ///
    /// - Throws: ``TrellisError``, as ``init(contentsOf:)``.
    public init(yaml text: String, fileName: String) throws(TrellisError) {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(text: text, fileName: fileName)
        } catch {
            throw TrellisError(issues: [error.issue(.invalidConfiguration)])
        }
        var issues: [TrellisIssue] = []
        func problem(_ path: String, _ message: String) {
            issues.append(document.issue(at: path, message))
        }
        let root: [String: JSONValue]
        switch document.value {
        case .object(let mapping): root = mapping
        // A file of comments alone (school.yaml as `trellis init` writes it): every default.
        case .null: root = [:]
        default:
            throw TrellisError(.invalidConfiguration, "a configuration is a mapping with rules, ladders and limits", location: document.location(of: ""))
        }
        for key in root.keys.sorted() where !["rules", "ladders", "limits"].contains(key) {
            problem(key, "unknown setting (the settings are rules, ladders and limits)")
        }
        var rules: [String: RuleSettings] = [:]
        if let value = root["rules"] {
            if case .object(let entries) = value {
                for (id, entry) in entries {
                    switch entry {
                    case .bool(let enabled): rules[id] = RuleSettings(enabled: enabled, parameters: [:])
                    case let word where YAMLBooleanWords.fix(for: word) != nil:
                        problem("rules.\(id)", YAMLBooleanWords.fix(for: word) ?? "")
                    case .object(let fields):
                        var settings = RuleSettings(enabled: nil, parameters: [:])
                        for key in fields.keys.sorted() where !["enabled", "params"].contains(key) {
                            problem("rules.\(id).\(key)", "unknown setting (a rule has enabled and params)")
                        }
                        switch fields["enabled"] {
                        case nil: break
                        case .bool(let enabled)?: settings.enabled = enabled
                        case let word? where YAMLBooleanWords.fix(for: word) != nil:
                            problem("rules.\(id).enabled", YAMLBooleanWords.fix(for: word) ?? "")
                        default: problem("rules.\(id).enabled", "expected true or false")
                        }
                        switch fields["params"] {
                        case nil, .null?: break
                        case .object(let parameters)?: settings.parameters = parameters
                        default: problem("rules.\(id).params", "expected a mapping of parameter names to values")
                        }
                        rules[id] = settings
                    default: problem("rules.\(id)", "expected true, false, or a mapping with enabled and params")
                    }
                }
            } else {
                problem("rules", "expected a mapping of rule ids")
            }
        }
        var ladders: Ladders?
        if let value = root["ladders"] {
            if case .object(let entries) = value {
                var result = Ladders()
                for (name, list) in entries {
                    let levels = (list.arrayValue ?? []).compactMap(\.stringValue)
                    guard case .array(let raw) = list, levels.count == raw.count, levels.count >= 2, Set(levels).count == levels.count else {
                        problem("ladders.\(name)", "a ladder is a list of at least 2 distinct level names, most support first")
                        continue
                    }
                    switch name {
                    case "prompt": result.prompt = levels
                    case "stage": result.stage = levels
                    default: result.other[name] = levels
                    }
                }
                ladders = result
            } else {
                problem("ladders", "expected a mapping of ladder names to lists of levels")
            }
        }
        var limits: RuleLimits?
        if let value = root["limits"] {
            if case .object(let entries) = value {
                var result = RuleLimits()
                for (key, limit) in entries {
                    guard case .integer(let number) = limit, number >= 0 else {
                        problem("limits.\(key)", "expected a whole number, 0 or more (0 turns the limit off)")
                        continue
                    }
                    switch key {
                    case "instructions": result.instructions = number
                    case "memory_mb": result.memoryBytes = Int(number) << 20
                    case "time_ms": result.milliseconds = Int(number)
                    default: problem("limits.\(key)", "unknown limit (the limits are instructions, memory_mb and time_ms)")
                    }
                }
                limits = result
            } else {
                problem("limits", "expected a mapping with instructions, memory_mb and time_ms")
            }
        }
        guard issues.isEmpty else { throw TrellisError(issues: issues) }
        self.yaml = document
        self.rules = rules
        self.ladders = ladders
        self.limits = limits
    }

    /// The rule pack with the rules this configuration turns off left out, and the parameter
    /// values for the rest, checked against each rule's declarations.
    ///
    /// - Parameters:
    ///   - definitions: the pack's rules, as an engine loaded them (`Engine.rules`).
    ///   - pack: the pack those rules came from.
    /// - Throws: ``TrellisError``, each problem an ``TrellisIssue/Kind/invalidConfiguration``
    ///   issue with the setting's line and path.
    public func resolve(against definitions: [RuleDefinition], pack: RulePack) throws(TrellisError) -> (pack: RulePack, parameters: [String: [String: JSONValue]]) {
        var issues: [TrellisIssue] = []
        var parameters: [String: [String: JSONValue]] = [:]
        var disabled: Set<String> = []
        for id in rules.keys.sorted() {
            guard let settings = rules[id] else { continue }
            guard let rule = definitions.first(where: { $0.id == id }) else {
                issues.append(yaml.issue(at: "rules.\(id)", "no rule has this id (the rules are \(definitions.map(\.id).joined(separator: ", ")))"))
                continue
            }
            if settings.enabled == false { disabled.insert(id) }
            for name in settings.parameters.keys.sorted() {
                let path = "rules.\(id).params.\(name)"
                guard let value = settings.parameters[name] else { continue }
                guard let declared = rule.parameters.first(where: { $0.name == name }) else {
                    issues.append(yaml.issue(at: path, "\(id) has no parameter \(name) (it has \(rule.parameters.map(\.name).joined(separator: ", ")))"))
                    continue
                }
                if let problem = declared.problem(withGiven: value) {
                    issues.append(yaml.issue(at: path, "\(problem) (\(declared.summary), declared in \(rule.path))"))
                    continue
                }
                parameters[id, default: [:]][name] = value
            }
        }
        guard issues.isEmpty else { throw TrellisError(issues: issues) }
        var kept = pack
        let disabledPaths = Set(definitions.filter { disabled.contains($0.id) }.map(\.path))
        kept.sources.removeAll { disabledPaths.contains($0.path) }
        return (kept, parameters)
    }

    /// Parameter values only (for a check that keeps every rule).
    public func parameters(for pack: RulePack) throws -> [String: [String: JSONValue]] {
        let engine = try Engine(rulePack: pack)
        return try resolve(against: engine.rules, pack: pack).parameters
    }
}

extension RuleParameter {
    /// `fade_percent: a number from 0 to 100, default 80: Percent correct ...`
    public var summary: String {
        var text = "\(name): a \(type == .integer ? "whole number" : type.rawValue)"
        switch (minimum, maximum) {
        case (let low?, let high?): text += " from \(JSONText.number(low)) to \(JSONText.number(high))"
        case (let low?, nil): text += " of at least \(JSONText.number(low))"
        case (nil, let high?): text += " of at most \(JSONText.number(high))"
        case (nil, nil): break
        }
        text += ", default \(defaultValue.jsonText)"
        if let description { text += ": \(description)" }
        return text
    }
}

extension JSONValue {
    /// The elements, when the value is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
