import Foundation

/// One case of a rule test file: a few students, optional parameters, and what must (and must
/// not) come out. The format is documented in docs/rules.md.
package struct RuleTestCase: Sendable, Hashable {
    /// The test file.
    package var file: String
    /// `file:line` of the case.
    package var location: String
    package var name: String
    /// Rule ids to load; empty for the whole pack.
    package var rules: [String]
    /// The class document the case evaluates.
    package var document: JSONValue
    package var parameters: [String: [String: JSONValue]]
    /// Each must match exactly one recommendation (or note, or error).
    package var expect: [Expectation]
    /// None of these may match.
    package var absent: [Expectation]

    /// Fields a result must have; a field not given is not checked.
    package struct Expectation: Sendable, Hashable {
        package var fields: [String: JSONValue]
        /// `file:line` of the expectation.
        package var location: String
    }

    /// `file: name`, what `--run` matches against.
    package var fullName: String { "\(file): \(name)" }
}

/// How one case went.
package struct RuleTestResult: Sendable, Hashable {
    package var testCase: RuleTestCase
    /// Readable reasons, empty when the case passed.
    package var failures: [String]
    /// What the rules passed to `ctx.log` while the case ran.
    package var logs: [RuleLog.Message] = []
    package var passed: Bool { failures.isEmpty }
}

/// Loads and runs rule tests (the `trellis test` command).
package enum RuleTests {
    /// The test files of a rule folder: `tests/*.yaml`, `*.yml` and `*.json` inside it.
    package static func files(in directories: [String]) -> [String] {
        directories.flatMap { directory -> [String] in
            let folder = (directory.hasSuffix("/") ? directory : directory + "/") + "tests"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter { [".yaml", ".yml", ".json"].contains(where: $0.hasSuffix) }.sorted().map { folder + "/" + $0 }
        }
    }

    /// Reads the cases of a test file. A test file in `DIR/tests/` may be a symbolic link to a
    /// file inside `DIR`, never to one outside it (which a syntax error would quote).
    package static func load(file path: String) throws(RuleTestError) -> [RuleTestCase] {
        let testFolder = (path as NSString).deletingLastPathComponent
        let ruleFolder = testFolder.isEmpty ? ".." : (testFolder as NSString).deletingLastPathComponent
        let data: Data
        switch RuleFolderFile.read(path, inFolder: ruleFolder.isEmpty ? "." : ruleFolder) {
        case .success(let bytes): data = bytes
        case .failure(let refusal): throw RuleTestError("\(path): \(refusal.message)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleTestError("\(path): cannot be read as UTF-8 text")
        }
        let yaml: YAMLDocument
        do {
            yaml = try YAMLDocument(text: text, fileName: path)
        } catch {
            throw RuleTestError(error.description)
        }
        guard case .object(let root) = yaml.value, case .array(let cases)? = root["cases"] else {
            throw RuleTestError("\(yaml.location(of: "")): a test file needs `cases:`, a list of cases")
        }
        let classKeys = ["trellis", "as_of", "class", "ladders", "catalog"]
        var loaded: [RuleTestCase] = []
        for (index, value) in cases.enumerated() {
            let path = "cases[\(index)]"
            guard case .object(let fields) = value else { throw RuleTestError("\(yaml.location(of: path)): a case must be a mapping") }
            var document: [String: JSONValue] = [:]
            if case .object(let whole)? = fields["document"] {
                document = whole
            } else {
                for key in classKeys { document[key] = fields[key] ?? root[key] }
                if let student = fields["student"] {
                    document["students"] = .array([student])
                } else if let students = fields["students"] {
                    document["students"] = students
                } else {
                    throw RuleTestError("\(yaml.location(of: path)): a case needs `student:`, `students:` or `document:`")
                }
            }
            document = document.filter { $0.value != .null }
            let rules = (fields["rule"] ?? root["rule"]).map(stringList) ?? []
            var parameters = try parameterTable(root["params"], yaml: yaml, path: "params")
            for (rule, values) in try parameterTable(fields["params"], yaml: yaml, path: "\(path).params") {
                parameters[rule, default: [:]].merge(values) { $1 }
            }
            func expectations(_ key: String) throws(RuleTestError) -> [RuleTestCase.Expectation] {
                guard let list = fields[key] else { return [] }
                guard case .array(let entries) = list else { throw RuleTestError("\(yaml.location(of: "\(path).\(key)")): \(key) must be a list") }
                var result: [RuleTestCase.Expectation] = []
                for (position, entry) in entries.enumerated() {
                    guard case .object(let expected) = entry else {
                        throw RuleTestError("\(yaml.location(of: "\(path).\(key)[\(position)]")): each entry is a mapping of fields")
                    }
                    result.append(.init(fields: expected, location: yaml.location(of: "\(path).\(key)[\(position)]")))
                }
                return result
            }
            loaded.append(
                RuleTestCase(
                    file: yaml.fileName, location: yaml.location(of: path), name: fields["name"]?.stringValue ?? "case \(index + 1)", rules: rules,
                    document: .object(document), parameters: parameters, expect: try expectations("expect"), absent: try expectations("absent")))
        }
        return loaded
    }

    private static func stringList(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let one): [one]
        case .array(let many): many.compactMap(\.stringValue)
        default: []
        }
    }

    private static func parameterTable(_ value: JSONValue?, yaml: YAMLDocument, path: String) throws(RuleTestError) -> [String: [String: JSONValue]] {
        guard let value, value != .null else { return [:] }
        guard case .object(let rules) = value else { throw RuleTestError("\(yaml.location(of: path)): params is a mapping of rule id to parameters") }
        var table: [String: [String: JSONValue]] = [:]
        for (rule, values) in rules {
            guard case .object(let parameters) = values else {
                throw RuleTestError("\(yaml.location(of: "\(path).\(rule)")): params.\(rule) is a mapping of parameter names to values")
            }
            table[rule] = parameters
        }
        return table
    }

    /// Runs cases with the rules of `pack`. Each case gets an engine with only its rules (all of
    /// the pack when it names none) and its parameters.
    package static func run(_ cases: [RuleTestCase], pack: RulePack, coverage: CoverageRecorder? = nil) -> [RuleTestResult] {
        var engines: [String: Result<Engine, TrellisError>] = [:]
        let log = RuleLog()
        return cases.map { testCase in
            let key = testCase.rules.joined(separator: ",") + "|" + JSONText.quoted("\(testCase.parameters.sorted { $0.key < $1.key })")
            let engine = engines[key] ?? makeEngine(for: testCase, pack: pack, coverage: coverage, log: log)
            engines[key] = engine
            switch engine {
            case .failure(let error): return RuleTestResult(testCase: testCase, failures: ["the rules cannot be used:\n" + error.description])
            case .success(let engine):
                let failures = check(testCase, with: engine)
                return RuleTestResult(testCase: testCase, failures: failures, logs: log.take())
            }
        }
    }

    private static func makeEngine(for testCase: RuleTestCase, pack: RulePack, coverage: CoverageRecorder?, log: RuleLog) -> Result<Engine, TrellisError> {
        var chosen = pack
        if !testCase.rules.isEmpty {
            // A rule is chosen by its id, which is its file name by convention; the engine checks the id.
            chosen.sources = pack.sources.filter { source in
                testCase.rules.contains { source.path.hasSuffix("/\($0).lua") || source.path == "\($0).lua" }
            }
            let missing = testCase.rules.filter { rule in !chosen.sources.contains { $0.path.hasSuffix("/\(rule).lua") } }
            if !missing.isEmpty {
                return .failure(TrellisError(issues: missing.map { TrellisIssue(kind: .invalidRule, rule: $0, message: "no rule file \($0).lua in the pack") }))
            }
        }
        do throws(TrellisError) {
            return .success(try Engine(rulePack: chosen, parameters: testCase.parameters, coverage: coverage, log: log))
        } catch {
            return .failure(error)
        }
    }

    private static func check(_ testCase: RuleTestCase, with engine: Engine) -> [String] {
        var text = ""
        JSONText.append(testCase.document, to: &text)
        let roster: Roster
        do {
            roster = try RosterReader.read(Array(text.utf8), sourceName: testCase.location)
        } catch {
            return ["the test's data is not a valid class document:\n" + error.description]
        }
        let report = engine.evaluate(roster)
        var failures = report.inputIssues.map { "the test's data is invalid: \($0)" }
        let found = Found(report)
        for expectation in testCase.expect {
            let candidates = found.candidates(for: expectation.fields)
            let matches = candidates.filter { Found.mismatches(expectation.fields, $0).isEmpty }
            if matches.count == 1 { continue }
            if matches.count > 1 {
                failures.append("\(expectation.location): expected one match for \(describe(expectation.fields)), found \(matches.count)")
                continue
            }
            var message = "\(expectation.location): expected \(describe(expectation.fields))"
            if let nearest = candidates.min(by: { Found.mismatches(expectation.fields, $0).count < Found.mismatches(expectation.fields, $1).count }) {
                message += "\n    nearest: \(describe(nearest))"
                for mismatch in Found.mismatches(expectation.fields, nearest) { message += "\n      \(mismatch)" }
            } else {
                message += "\n    nothing of that kind came out"
            }
            failures.append(message)
        }
        for expectation in testCase.absent {
            for match in found.candidates(for: expectation.fields) where Found.mismatches(expectation.fields, match).isEmpty {
                failures.append("\(expectation.location): expected nothing like \(describe(expectation.fields)), got \(describe(match))")
            }
        }
        let expectsErrors = (testCase.expect + testCase.absent).contains { $0.fields["error_contains"] != nil }
        if !expectsErrors {
            failures += report.issues.map { "a rule failed: \($0)" }
        }
        return failures
    }

    private static func describe(_ fields: [String: JSONValue]) -> String {
        fields.keys.sorted().map { key in
            var value = ""
            JSONText.append(fields[key]!, to: &value)
            return "\(key): \(value)"
        }.joined(separator: ", ")
    }
}

/// Everything a run produced, flattened into fields that expectations compare against.
private struct Found {
    var recommendations: [[String: JSONValue]] = []
    var classRecommendations: [[String: JSONValue]] = []
    var notes: [[String: JSONValue]] = []
    var errors: [[String: JSONValue]] = []

    init(_ report: EvaluationReport) {
        for result in report.results {
            recommendations += result.recommendations.map { Self.fields(of: $0, student: result.student) }
            notes += result.notes.map { ["student": .string(result.student), "skill": $0.skill.map(JSONValue.string) ?? .null, "rule": .string($0.rule), "note": .string($0.message)] }
        }
        if let classResult = report.classResult {
            classRecommendations = classResult.recommendations.map { Self.fields(of: $0, student: nil) }
            notes += classResult.notes.map { ["skill": $0.skill.map(JSONValue.string) ?? .null, "rule": .string($0.rule), "note": .string($0.message)] }
        }
        errors = report.issues.map { issue in
            ["student": issue.student.map(JSONValue.string) ?? .null, "rule": issue.rule.map(JSONValue.string) ?? .null, "error": .string(issue.message)]
        }
    }

    private static func fields(of recommendation: Recommendation, student: String?) -> [String: JSONValue] {
        var fields = recommendation.extra
        if let student { fields["student"] = .string(student) }
        fields["skill"] = recommendation.skill.map(JSONValue.string)
        fields["kind"] = .string(recommendation.kind)
        fields["action"] = .string(recommendation.action)
        fields["from"] = recommendation.from.map(JSONValue.string)
        fields["to"] = recommendation.to.map(JSONValue.string)
        fields["rule"] = .string(recommendation.rule)
        fields["priority"] = .number(recommendation.priority)
        fields["reason"] = .string(recommendation.reason)
        fields["options"] = recommendation.options.map { .array($0.map { .string($0.id) }) }
        return fields
    }

    /// Which results an expectation is about: notes, errors, class-level or student recommendations.
    func candidates(for expectation: [String: JSONValue]) -> [[String: JSONValue]] {
        if expectation["note_contains"] != nil { return notes }
        if expectation["error_contains"] != nil { return errors }
        if expectation["scope"]?.stringValue == "class" { return classRecommendations }
        return recommendations
    }

    /// What differs, one line per field; empty when everything given matches.
    static func mismatches(_ expectation: [String: JSONValue], _ candidate: [String: JSONValue]) -> [String] {
        var problems: [String] = []
        for (key, expected) in expectation.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "scope": continue
            case "reason_contains", "note_contains", "error_contains", "message_contains":
                let field = ["reason_contains": "reason", "note_contains": "note", "error_contains": "error", "message_contains": "message"][key]!
                let actual = candidate[field]?.stringValue ?? ""
                if let wanted = expected.stringValue, !actual.contains(wanted) {
                    problems.append("\(field): \(JSONText.quoted(actual)) does not contain \(JSONText.quoted(wanted))")
                }
            default:
                let actual = candidate[key] ?? .null
                if !same(expected, actual) {
                    var expectedText = ""
                    var actualText = ""
                    JSONText.append(expected, to: &expectedText)
                    JSONText.append(actual, to: &actualText)
                    problems.append("\(key): expected \(expectedText), got \(actualText)")
                }
            }
        }
        return problems
    }

    /// Equal as JSON, with numbers compared by value (YAML's 50 and the engine's 50.0 agree).
    private static func same(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let a = left.doubleValue, let b = right.doubleValue { return a == b }
        switch (left, right) {
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case (.object(let a), .object(let b)): return a.count == b.count && a.allSatisfy { key, value in b[key].map { same(value, $0) } ?? false }
        default: return left == right
        }
    }
}

/// A test file that cannot be read, with its place.
package struct RuleTestError: Error, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
