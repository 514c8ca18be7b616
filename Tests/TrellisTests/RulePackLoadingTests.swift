import Foundation
import Testing
@testable import Trellis

// MARK: - Helpers

private func pack(_ rules: [(name: String, source: String)]) -> RulePack {
    RulePack(sources: rules.map { RuleSource(path: "rules/\($0.name).lua", source: $0.source) })
}

/// The error loading `rulePack` throws, or nil when it loads.
private func loadError(_ rulePack: RulePack, parameters: [String: [String: JSONValue]] = [:]) -> TrellisError? {
    do {
        _ = try Engine(rulePack: rulePack, parameters: parameters)
        return nil
    } catch {
        return error
    }
}

private func rule(_ id: String, _ fields: String = "") -> String {
    """
    return {
      id = "\(id)",
      \(fields)
      evaluate = function(student, ctx) return nil end,
    }
    """
}

/// A fresh folder under the temporary directory, removed by `cleanUp`.
private struct TemporaryFolder {
    let path: String

    init(name: String = "trellis-rules") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func makeFolder(_ name: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + name, withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A rule that returns its `ctx.params` as evidence.
private let paramsEcho = """
    return {
      id = "tuned",
      params = {
        percent = { default = 80, type = "number", min = 0, max = 100, description = "Percent correct" },
        sessions = { default = 3, type = "integer", min = 1, max = 20 },
        label = "plain",
        strict = { default = false, type = "boolean" },
        levels = { default = { "a", "b" }, type = "list" },
      },
      evaluate = function(student, ctx)
        return { { kind = "echo", action = "report", reason = "params", evidence = ctx.params,
                   types = { percent = math.type(ctx.params.percent), sessions = math.type(ctx.params.sessions) } } }
      end,
    }
    """

@Suite("Rule pack loading")
struct RulePackLoadingTests {
    // MARK: Problems in rule files

    @Test("a syntax error names the file and line")
    func syntaxError() throws {
        let source = """
            return {
              id = "broken",
              evaluate = function(student, ctx)
                return { { kind = "x" action = "y" } }
              end,
            }
            """
        let error = try #require(loadError(pack([(name: "broken", source: source)])))
        #expect(
            error.issues == [
                TrellisIssue(kind: .invalidRule, message: "'}' expected near 'action'", location: "rules/broken.lua:4")
            ])
        #expect(error.description == "rules/broken.lua:4: '}' expected near 'action'")
    }

    @Test("a syntax error in a file read from a folder names the folder's path and the line")
    func syntaxErrorFromFolder() throws {
        // A long path: Lua shortens chunk names past 60 characters in its own messages.
        let folder = try TemporaryFolder(name: "a-rule-folder-with-a-rather-long-name-to-make-the-path-exceed-sixty-characters")
        defer { folder.cleanUp() }
        try folder.write("bad.lua", "return {\n  id = \"bad\",\n  evaluate = function(student, ctx)\n    local = 1\n  end,\n}\n")
        try folder.write("good.lua", rule("good"))
        let error = try #require(loadError(try RulePack(directories: [folder.path])))
        #expect(error.issues == [TrellisIssue(kind: .invalidRule, message: "<name> expected near '='", location: folder.path + "/bad.lua:4")])
    }

    @Test("every problem of every file is reported at once, in pack order")
    func everyProblemAtOnce() throws {
        let rules: [(name: String, source: String)] = [
            (name: "a-syntax", source: "return {\n  id = \"a\"\n  evaluate = nil,\n}"),
            (name: "b-no-evaluate", source: "return { id = \"b\", priority = 1 }"),
            (name: "c-no-id", source: "return { evaluate = function() end }"),
            (name: "d-empty-id", source: "return { id = \"\", evaluate = function() end }"),
            (name: "e-id-number", source: "return { id = 5, evaluate = function() end }"),
            (name: "f-first", source: rule("same")),
            (name: "g-duplicate", source: rule("same")),
            (name: "h-priority", source: rule("h", "priority = \"high\",")),
            (name: "i-api", source: rule("i", "api = 2,")),
            (name: "j-api-fraction", source: rule("j", "api = 1.5,")),
            (name: "k-above-max", source: rule("k", "params = { n = { default = 200, type = \"integer\", min = 0, max = 100 } },")),
            (name: "l-below-min", source: rule("l", "params = { p = { default = -5, type = \"number\", min = 0 } },")),
            (name: "m-wrong-type", source: rule("m", "params = { n = { default = \"ten\", type = \"number\" } },")),
            (name: "n-not-whole", source: rule("n", "params = { n = { default = 2.5, type = \"integer\" } },")),
            (name: "o-top-level-error", source: "local x = 1\nerror(\"not today\")\nreturn { id = \"o\", evaluate = function() end }"),
            (name: "p-returns-number", source: "return 42"),
            (name: "q-two-problems", source: rule("q", "priority = {}, api = 3,")),
            (name: "r-fine", source: rule("r")),
        ]
        let error = try #require(loadError(pack(rules)))
        let expected = [
            TrellisIssue(kind: .invalidRule, message: "'}' expected (to close '{' at line 1) near 'evaluate'", location: "rules/a-syntax.lua:3"),
            TrellisIssue(kind: .invalidRule, rule: "b", message: "the rule table needs evaluate = function(student, ctx) ... end", location: "rules/b-no-evaluate.lua"),
            TrellisIssue(kind: .invalidRule, message: #"the rule table needs an id: a non-empty string, such as id = "my-rule""#, location: "rules/c-no-id.lua"),
            TrellisIssue(kind: .invalidRule, message: #"the rule table needs an id: a non-empty string, such as id = "my-rule""#, location: "rules/d-empty-id.lua"),
            TrellisIssue(kind: .invalidRule, message: #"the rule table needs an id: a non-empty string, such as id = "my-rule""#, location: "rules/e-id-number.lua"),
            TrellisIssue(kind: .invalidRule, rule: "same", message: "duplicate rule id (also in rules/f-first.lua)", location: "rules/g-duplicate.lua:2"),
            TrellisIssue(kind: .invalidRule, rule: "h", message: "priority must be a number, got a string", location: "rules/h-priority.lua:3"),
            TrellisIssue(kind: .invalidRule, rule: "i", message: "rule API version 2 is not supported (this Trellis supports 1)", location: "rules/i-api.lua:3"),
            TrellisIssue(kind: .invalidRule, rule: "j", message: "api must be a whole number, such as api = 1", location: "rules/j-api-fraction.lua:3"),
            TrellisIssue(kind: .invalidRule, rule: "k", message: "params.n.default: 200 is above the maximum 100", location: "rules/k-above-max.lua:3"),
            TrellisIssue(kind: .invalidRule, rule: "l", message: "params.p.default: -5 is below the minimum 0", location: "rules/l-below-min.lua:3"),
            TrellisIssue(kind: .invalidRule, rule: "m", message: #"params.n.default: expected a number, got "ten""#, location: "rules/m-wrong-type.lua:3"),
            TrellisIssue(kind: .invalidRule, rule: "n", message: "params.n.default: expected a whole number, got 2.5", location: "rules/n-not-whole.lua:3"),
            TrellisIssue(kind: .invalidRule, message: "loading the rule failed: not today", location: "rules/o-top-level-error.lua:2"),
            TrellisIssue(
                kind: .invalidRule, message: "loading the rule failed: the rule file must return a table (it returned number)",
                location: "rules/p-returns-number.lua"),
            TrellisIssue(kind: .invalidRule, rule: "q", message: "priority must be a number, got a table", location: "rules/q-two-problems.lua:3"),
            TrellisIssue(kind: .invalidRule, rule: "q", message: "rule API version 3 is not supported (this Trellis supports 1)", location: "rules/q-two-problems.lua:3"),
        ]
        #expect(error.issues.count == expected.count)
        for (actual, wanted) in zip(error.issues, expected) {
            #expect(actual == wanted)
        }
        #expect(error.issues.allSatisfy { $0.kind == .invalidRule && $0.student == nil && $0.path == nil })
    }

    @Test("more declaration problems", arguments: [
        ("description = 5,", "description must be a string"),
        ("evaluate_class = true,", "evaluate_class must be a function"),
        ("params = \"none\",", "params must be a table of name = default or name = { default = ..., type = ... }"),
        ("params = { n = { type = \"number\" } },", "params.n: a default must be a number, string, boolean or list, or { default = ... }"),
        ("params = { n = { default = 1, type = \"float\" } },", "params.n.type must be one of number, integer, string, boolean, list"),
        ("params = { n = { default = { x = 1 } } },", "params.n.type must be one of number, integer, string, boolean, list"),
        ("params = { f = { default = function() end } },", "params.f.default: a function has no JSON form"),
        ("params = { b = { default = \"yes\", type = \"boolean\" } },", #"params.b.default: expected a boolean, got "yes""#),
        ("params = { l = { default = 3, type = \"list\" } },", "params.l.default: expected a list, got 3"),
        ("params = { s = { default = 3, type = \"string\" } },", "params.s.default: expected a string, got 3"),
    ])
    func declarationProblems(fields: String, message: String) throws {
        let source = """
            return {
              id = "r",
              \(fields)
              evaluate = function(student, ctx) return nil end,
            }
            """
        let error = try #require(loadError(pack([(name: "r", source: source)])))
        // The problem names the line that sets the field.
        #expect(error.issues == [TrellisIssue(kind: .invalidRule, rule: "r", message: message, location: "rules/r.lua:3")])
    }

    @Test("a top-level runtime error names its line")
    func topLevelRuntimeError() throws {
        let source = "local helpers = {}\n\nlocal x = helpers.missing.field\nreturn { id = \"x\", evaluate = function() end }"
        let error = try #require(loadError(pack([(name: "x", source: source)])))
        #expect(error.issues == [
            TrellisIssue(kind: .invalidRule, message: "loading the rule failed: attempt to index a nil value (field 'missing')", location: "rules/x.lua:3")
        ])
    }

    @Test("a rule file that loops forever at load time is stopped")
    func loadTimeLoop() throws {
        let source = "while true do end\nreturn { id = \"x\", evaluate = function() end }"
        do {
            _ = try Engine(rulePack: pack([(name: "x", source: source)]), limits: RuleLimits(instructions: 100_000, memoryBytes: 64 << 20))
            Issue.record("a rule that never finishes loading was accepted")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues.first?.kind == .invalidRule)
            #expect(error.issues.first?.message == "loading the rule failed: ran more than 100000 instructions")
            #expect(error.issues.first?.location == "rules/x.lua:1")
        }
    }

    @Test("declarations are read into RuleDefinition")
    func definitions() throws {
        let source = """
            return {
              id = "described",
              description = "Says what it does",
              priority = 12.5,
              api = 1,
              params = { b = true, a = { default = 2, type = "number", min = 1, max = 3, description = "A" } },
              evaluate = function(student, ctx) return nil end,
              evaluate_class = function(class, ctx) return nil end,
            }
            """
        let engine = try Engine(rulePack: pack([(name: "described", source: source), (name: "plain", source: rule("plain"))]))
        #expect(
            engine.rules == [
                RuleDefinition(
                    id: "described", path: "rules/described.lua", description: "Says what it does", priority: 12.5, api: 1,
                    parameters: [
                        RuleParameter(name: "a", defaultValue: .integer(2), type: .number, minimum: 1, maximum: 3, description: "A"),
                        RuleParameter(name: "b", defaultValue: .bool(true), type: .boolean),
                    ], evaluatesClass: true),
                RuleDefinition(id: "plain", path: "rules/plain.lua"),
            ])
        #expect(engine.parameterValues == ["described": ["a": .integer(2), "b": .bool(true)], "plain": [:]])
    }

    // MARK: Parameter overrides

    @Test("parameter overrides that do not fit are all rejected at once")
    func badOverrides() throws {
        let error = try #require(
            loadError(
                pack([(name: "tuned", source: paramsEcho)]),
                parameters: [
                    "tuned": [
                        "bogus": .integer(1), "percent": .integer(150), "sessions": .string("ten"), "strict": .integer(1), "levels": .string("a"),
                    ],
                    "nope": ["x": .integer(1)],
                ]))
        let expected: Set<TrellisIssue> = [
            TrellisIssue(
                kind: .invalidRule, rule: "tuned", message: "rule tuned has no parameter bogus (it has: label, levels, percent, sessions, strict)",
                location: "rules/tuned.lua"),
            TrellisIssue(kind: .invalidRule, rule: "tuned", message: "parameter tuned.percent: 150 is above the maximum 100", location: "rules/tuned.lua"),
            TrellisIssue(kind: .invalidRule, rule: "tuned", message: #"parameter tuned.sessions: expected a whole number, got "ten""#, location: "rules/tuned.lua"),
            TrellisIssue(kind: .invalidRule, rule: "tuned", message: "parameter tuned.strict: expected a boolean, got 1", location: "rules/tuned.lua"),
            TrellisIssue(kind: .invalidRule, rule: "tuned", message: #"parameter tuned.levels: expected a list, got "a""#, location: "rules/tuned.lua"),
            TrellisIssue(kind: .invalidRule, rule: "nope", message: "no rule has the id nope (rules: tuned)"),
        ]
        #expect(error.issues.count == expected.count)
        #expect(Set(error.issues) == expected)
    }

    @Test("a single bad override", arguments: [
        ("percent", JSONValue.number(-0.5), "parameter tuned.percent: -0.5 is below the minimum 0"),
        ("percent", .string("80"), #"parameter tuned.percent: expected a number, got "80""#),
        ("sessions", .number(2.5), "parameter tuned.sessions: expected a whole number, got 2.5"),
        ("sessions", .integer(0), "parameter tuned.sessions: 0 is below the minimum 1"),
        ("sessions", .integer(21), "parameter tuned.sessions: 21 is above the maximum 20"),
        ("label", .integer(3), "parameter tuned.label: expected a string, got 3"),
        ("label", .null, "parameter tuned.label: expected a string, got null"),
    ])
    func badOverride(name: String, value: JSONValue, message: String) throws {
        let error = try #require(loadError(pack([(name: "tuned", source: paramsEcho)]), parameters: ["tuned": [name: value]]))
        #expect(error.issues == [TrellisIssue(kind: .invalidRule, rule: "tuned", message: message, location: "rules/tuned.lua")])
    }

    @Test("valid overrides reach ctx.params; the others keep their defaults")
    func validOverrides() throws {
        let engine = try Engine(
            rulePack: pack([(name: "tuned", source: paramsEcho)]),
            parameters: ["tuned": ["percent": .number(72.5), "sessions": .integer(5), "strict": .bool(true), "levels": .array([.string("z")])]])
        #expect(
            engine.parameterValues["tuned"] == [
                "percent": .number(72.5), "sessions": .integer(5), "label": .string("plain"), "strict": .bool(true), "levels": .array([.string("z")]),
            ])
        let result = engine.evaluate(Student(id: "s-1"), context: ClassContext(asOf: "2026-11-20"))
        #expect(result.errors == [])
        let recommendation = try #require(result.recommendations.first)
        #expect(
            recommendation.evidence == .object([
                "percent": .number(72.5), "sessions": .integer(5), "label": .string("plain"), "strict": .bool(true), "levels": .array([.string("z")]),
            ]))
        #expect(recommendation.extra["types"] == .object(["percent": .string("float"), "sessions": .string("integer")]))

        // The defaults, without overrides; a number parameter given an integer stays an integer.
        let defaults = try Engine(rulePack: pack([(name: "tuned", source: paramsEcho)]), parameters: ["tuned": ["percent": .integer(90)]])
        let plain = try #require(defaults.evaluate(Student(id: "s-1"), context: ClassContext(asOf: "2026-11-20")).recommendations.first)
        #expect(
            plain.evidence == .object([
                "percent": .integer(90), "sessions": .integer(3), "label": .string("plain"), "strict": .bool(false),
                "levels": .array([.string("a"), .string("b")]),
            ]))
    }

    @Test("overrides of the bundled rules change their decisions")
    func bundledOverride() throws {
        let skill = Skill(
            id: "k", promptLevel: "gestural",
            sessions: (1...3).map { Session(date: "2026-11-1\($0)", promptLevel: "gestural", trials: 10, correct: 7) })
        let student = Student(id: "s-1", skills: [skill])
        let context = ClassContext(asOf: "2026-11-20")
        let strict = try Engine().evaluate(student, context: context)
        #expect(strict.recommendations.first { $0.kind == "prompt" }?.action == "hold")
        let lenient = try Engine(parameters: ["prompt-fading": ["fade_percent": .integer(70)]]).evaluate(student, context: context)
        let prompt = try #require(lenient.recommendations.first { $0.kind == "prompt" })
        #expect(prompt.action == "fade")
        #expect(prompt.to == "verbal")
    }

    // MARK: Folders

    @Test("a missing folder and an empty folder are both reported")
    func missingAndEmptyFolders() throws {
        let empty = try TemporaryFolder()
        defer { empty.cleanUp() }
        try empty.write("README.md", "not a rule")
        let missing = empty.path + "-missing"
        do {
            _ = try RulePack(directories: [missing, empty.path])
            Issue.record("folders without rules were accepted")
        } catch {
            #expect(
                error.issues == [
                    TrellisIssue(kind: .invalidRule, message: "no such rule folder", location: missing),
                    TrellisIssue(kind: .invalidRule, message: "the folder has no .lua rule files", location: empty.path),
                ])
        }
    }

    @Test("a file given as a folder is not a rule folder")
    func fileAsFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("one.lua", rule("one"))
        do {
            _ = try RulePack(directories: [folder.path + "/one.lua"])
            Issue.record("a file was read as a folder")
        } catch {
            #expect(error.issues == [TrellisIssue(kind: .invalidRule, message: "no such rule folder", location: folder.path + "/one.lua")])
        }
    }

    @Test("only .lua files directly inside the folder are read, in name order; subfolders are ignored")
    func subfoldersIgnored() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("b.lua", rule("b"))
        try folder.write("a.lua", rule("a"))
        try folder.write("notes.txt", "not a rule")
        try folder.write("a.lua.bak", "not a rule either")
        try folder.write("tests/test-a.lua", "this is not Lua a rule loader should read")
        try folder.write("tests/deeper/c.lua", rule("c"))
        let rulePack = try RulePack(directories: [folder.path])
        #expect(rulePack.sources.map(\.path) == [folder.path + "/a.lua", folder.path + "/b.lua"])
        #expect(rulePack.sources.first?.source == rule("a"))
        #expect(try Engine(rulePack: rulePack).rules.map(\.id) == ["a", "b"])

        // The same folder named with a trailing slash gives the same paths.
        #expect(try RulePack(directories: [folder.path + "/"]).sources.map(\.path) == [folder.path + "/a.lua", folder.path + "/b.lua"])
    }

    @Test("a subfolder whose name ends in .lua is still a subfolder, not a rule")
    func subfolderNamedLua() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("a.lua", rule("a"))
        try folder.makeFolder("archive.lua")
        let rulePack = try RulePack(directories: [folder.path])
        #expect(rulePack.sources.map(\.path) == [folder.path + "/a.lua"])
    }

    @Test("several folders: rules from all of them, and duplicate ids across folders are caught")
    func severalFolders() throws {
        let first = try TemporaryFolder()
        let second = try TemporaryFolder()
        defer {
            first.cleanUp()
            second.cleanUp()
        }
        try first.write("x.lua", rule("x"))
        try second.write("y.lua", rule("y"))
        try second.write("z.lua", rule("x"))
        let rulePack = try RulePack(directories: [first.path, second.path])
        #expect(rulePack.sources.map(\.path) == [first.path + "/x.lua", second.path + "/y.lua", second.path + "/z.lua"])
        let error = try #require(loadError(rulePack))
        #expect(error.issues == [TrellisIssue(kind: .invalidRule, rule: "x", message: "duplicate rule id (also in \(first.path)/x.lua)", location: second.path + "/z.lua:2")])
    }

    @Test("a file that is not UTF-8 is reported")
    func notUTF8() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let url = URL(fileURLWithPath: folder.path).appendingPathComponent("latin1.lua")
        try Data([0x2D, 0x2D, 0x20, 0xE9, 0x0A]).write(to: url)
        do {
            _ = try RulePack(directories: [folder.path])
            Issue.record("a file that is not UTF-8 was read")
        } catch {
            #expect(error.issues == [TrellisIssue(kind: .invalidRule, message: "cannot be read as UTF-8 text", location: folder.path + "/latin1.lua")])
        }
    }

    // MARK: The bundled pack

    @Test("the bundled pack is every file of rules/, byte for byte, and loads")
    func bundled() throws {
        let bundled = RulePack.bundled
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let onDiskNames = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("rules").path)
            .filter { $0.hasSuffix(".lua") }.sorted()
        #expect(bundled.sources.map(\.path) == onDiskNames.map { "rules/" + $0 })
        #expect(Set(bundled.sources.map(\.path)).isSuperset(of: ["rules/choice-menu.lua", "rules/prompt-fading.lua", "rules/scaffold-stage.lua"]))
        for source in bundled.sources {
            let onDisk = try String(contentsOf: repository.appendingPathComponent(source.path), encoding: .utf8)
            #expect(source.source == onDisk, "\(source.path) differs from the file in rules/")
        }
        let engine = try Engine()
        #expect(engine.rules.map(\.id) == onDiskNames.map { String($0.dropLast(4)) }, "each bundled rule's id is its file name")
        #expect(engine.rules.map(\.path) == bundled.sources.map(\.path))
        #expect(engine.rules.allSatisfy { $0.api == 1 && !($0.description ?? "").isEmpty })
        let fading = try #require(engine.rules.first { $0.id == "prompt-fading" })
        #expect(fading.priority == 50)
        #expect(fading.parameters.map(\.name) == ["fade_percent", "fade_sessions", "min_trials", "step_back_percent", "step_back_sessions"])
        #expect(engine.parameterValues["prompt-fading"] == [
            "fade_percent": .integer(80), "fade_sessions": .integer(3), "min_trials": .integer(5), "step_back_percent": .integer(50),
            "step_back_sessions": .integer(2),
        ])
        // The bundled rules load from their folder too, with the same ids.
        let fromFolder = try Engine(rulePack: try RulePack(directories: [repository.appendingPathComponent("rules").path]))
        #expect(fromFolder.rules.map(\.id) == engine.rules.map(\.id))
        #expect(fromFolder.parameterValues == engine.parameterValues)
    }
}
