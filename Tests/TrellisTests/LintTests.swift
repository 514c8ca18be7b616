import Foundation
import Testing

/// The Lua of the repository is lint-clean under the sandbox's own standard (.luacheckrc), and the
/// editor definitions (types/trellis.lua), the luacheck standard and the rule docs name every
/// helper that helpers.lua defines, so that none of them drifts from the code.
@Suite
struct LintTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let helpersPath = "Sources/Trellis/RuleAPI/helpers.lua"
    static let installHint = "luacheck is not installed: run scripts/install-dependencies.sh (it installs Debian's lua-check)"

    /// `luacheck` from PATH or the usual places; nil when it is not installed.
    static var luacheck: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return folders.map { URL(fileURLWithPath: $0).appending(path: "luacheck") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs luacheck with the repository's .luacheckrc from the repository root.
    static func runLuacheck(_ arguments: [String], in directory: URL = packageRoot) throws -> Run {
        let luacheck: URL = try #require(Self.luacheck, Comment(rawValue: installHint))
        let process = Process()
        process.executableURL = luacheck
        process.arguments = ["--config", packageRoot.appending(path: ".luacheckrc").path, "--no-color", "--codes", "--formatter", "plain"] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: packageRoot.appending(path: relativePath), encoding: .utf8)
    }

    /// The helpers helpers.lua defines, as `ladder.index`, `percent`...: its `function trellis.x.y(` lines.
    static func helperNames() throws -> [String] {
        let pattern = try NSRegularExpression(pattern: #"^function trellis\.([A-Za-z_][A-Za-z0-9_.]*)\("#, options: .anchorsMatchLines)
        return try names(matching: pattern, in: text(helpersPath))
    }

    static func names(matching pattern: NSRegularExpression, in text: String) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test func rulesAndTheEngineLuaAreLintClean() throws {
        let run = try Self.runLuacheck(["rules", "Sources/Trellis/RuleAPI", "types"])
        #expect(run.status == 0, "luacheck found problems (see .luacheckrc and docs/rules.md):\n\(run.output)")
    }

    /// The standard must really be the sandbox's: what a rule cannot use is reported.
    @Test func theSandboxStandardReportsWhatRulesCannotUse() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rule = """
            return {
              id = "lint-probe",
              evaluate = function(student, ctx)
                print(student.id)
                local seed = math.random()
                local home = os.getenv("HOME")
                local next_level = trellis.ladder.nxt(ctx.ladders.prompt, "model")
                return { { kind = "x", action = "y", reason = tostring(seed) .. home .. next_level .. os.date("%Y") } }
              end,
            }

            """
        try rule.write(to: folder.appending(path: "lint-probe.lua"), atomically: true, encoding: .utf8)
        let run = try Self.runLuacheck(["lint-probe.lua"], in: folder)
        #expect(run.status != 0)
        for expected in ["undefined variable 'print'", "undefined field 'random'", "undefined field 'getenv'", "undefined field 'ladder.nxt'"] {
            #expect(run.output.contains(expected), "expected luacheck to report \(expected):\n\(run.output)")
        }
        #expect(!run.output.contains("'date'"), "os.date is in the sandbox:\n\(run.output)")
        #expect(!run.output.contains("variable 'trellis'"), "trellis is a read-only global:\n\(run.output)")
    }

    @Test func helpersLuaDefinesTheHelpersThisTestKnows() throws {
        let names = try Self.helperNames()
        #expect(names.count >= 30, "found only \(names) in \(Self.helpersPath)")
        for expected in ["ladder.index", "sessions.at_level", "percent", "menu.choose", "date.days_between", "format.count", "class.results"] {
            #expect(names.contains(expected))
        }
    }

    @Test func typesDescribeEveryHelperAndNothingElse() throws {
        let types = try Self.text("types/trellis.lua")
        #expect(types.hasPrefix("---@meta"))
        let helpers = try Self.helperNames()
        for name in helpers {
            #expect(types.contains("function trellis.\(name)("), "types/trellis.lua has no definition of trellis.\(name), which \(Self.helpersPath) defines")
        }
        let pattern = try NSRegularExpression(pattern: #"^function trellis\.([A-Za-z_][A-Za-z0-9_.]*)\("#, options: .anchorsMatchLines)
        for name in Self.names(matching: pattern, in: types) where !helpers.contains(name) {
            Issue.record("types/trellis.lua defines trellis.\(name), which \(Self.helpersPath) does not")
        }
        for className in ["Student", "Skill", "Session", "WorkItem", "SelfAssessment", "CatalogItem", "Ctx", "Class", "Recommendation", "Note", "Rule"] {
            #expect(types.contains("---@class trellis.\(className)\n"), "types/trellis.lua has no class trellis.\(className)")
        }
    }

    @Test func luacheckrcListsEveryHelper() throws {
        let config = try Self.text(".luacheckrc")
        for name in try Self.helperNames() {
            let parts = name.split(separator: ".").map(String.init)
            let pattern: String
            if parts.count == 1 {
                pattern = #"\b\#(parts[0]) = \{\}"#
            } else {
                // `ladder = { fields = { "index", ... } }`, possibly over several lines.
                pattern = #"\b\#(parts[0]) = \{\s*fields = \{[^}]*"\#(parts[1])""#
            }
            #expect(config.range(of: pattern, options: .regularExpression) != nil, ".luacheckrc does not list trellis.\(name), which \(Self.helpersPath) defines")
        }
    }

    /// What sandbox.lua puts in a rule's environment is what .luacheckrc allows.
    @Test func luacheckrcAllowsWhatTheSandboxGives() throws {
        let sandbox = try Self.text("Sources/Trellis/RuleAPI/sandbox.lua")
        let start = try #require(sandbox.range(of: "local base = {\n"))
        let end = try #require(sandbox.range(of: "\n}\n", range: start.upperBound..<sandbox.endIndex))
        let body = String(sandbox[start.upperBound..<end.lowerBound])
        let key = try NSRegularExpression(pattern: #"^\s+([A-Za-z_][A-Za-z0-9_]*) = "#, options: .anchorsMatchLines)
        let globals = Self.names(matching: key, in: body).filter { $0 != "trellis" }
        #expect(globals.count >= 20, "found only \(globals) in sandbox.lua's base table")
        let config = try Self.text(".luacheckrc")
        for name in globals {
            #expect(config.contains("\"\(name)\"") || config.contains("\n        \(name) = {"), ".luacheckrc does not allow \(name), which sandbox.lua gives rules")
        }
        for absent in ["print", "load", "require", "dofile", "loadfile", "collectgarbage", "rawset"] {
            #expect(!globals.contains(absent), "sandbox.lua gives rules \(absent): update .luacheckrc and docs/rules.md")
            #expect(!config.contains("\"\(absent)\""), ".luacheckrc allows \(absent), which sandbox.lua does not give rules")
        }
    }

    @Test func theRuleDocsNameEveryHelper() throws {
        let docs = try Self.text("docs/rules.md")
        for name in try Self.helperNames() {
            #expect(docs.contains("`trellis.\(name)("), "docs/rules.md does not describe trellis.\(name)")
        }
    }
}
