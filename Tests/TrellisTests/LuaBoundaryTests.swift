import Foundation
import Testing
@testable import Trellis
import TrellisLua

/// The Lua C API is called from one place: the TrellisLua target (over the C shim). The engine,
/// the CLI and the server build and read Lua values through its typed API only.
@Suite struct LuaBoundaryTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The targets allowed to call the C API: the bridge and the C targets under it.
    static let bridgeTargets: Set<String> = ["TrellisLua", "CLuaShim", "CLua"]

    /// A call of a Lua C function (`lua_`, `luaL_`) or of the shim (`trellis_`), or an import of
    /// the C modules, in one line of Swift. Words that merely contain those (`lua_state` in a
    /// comment) are not calls: a call is a name followed by `(`.
    static func offences(in line: Substring) -> [String] {
        // A name inside a string literal is data (a history column called trellis_version), not a call.
        let code = (line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .replacing(/"(?:[^"\\]|\\.)*"/, with: "\"\"")
        var found: [String] = []
        if code.contains("import CLuaShim") || code.contains("import CLua") { found.append(String(code.trimmingCharacters(in: .whitespaces))) }
        for match in code.matches(of: /\b(lua_|luaL_|trellis_)[A-Za-z0-9_]+\s*\(/) { found.append(String(match.output.0)) }
        // A C function passed as a value (lua_CFunction arguments) is a use of the API as well.
        for match in code.matches(of: /\b(lua_|luaL_|trellis_)[A-Za-z0-9_]+\b(?!\s*\()/) where !found.contains(String(match.output.0)) {
            found.append(String(match.output.0))
        }
        return found
    }

    @Test func scannerFindsCallsAndImports() {
        #expect(Self.offences(in: "        lua_pushnil(lua.state)") == ["lua_pushnil("])
        #expect(Self.offences(in: "let x = luaL_ref(state, trellis_registryindex())") == ["luaL_ref(", "trellis_registryindex("])
        #expect(Self.offences(in: "        trellis_pushcfunction(state, trellis_emit)") == ["trellis_pushcfunction(", "trellis_emit"])
        #expect(Self.offences(in: "import CLuaShim") == ["import CLuaShim"])
        #expect(Self.offences(in: "    // lua_pushnil( in a comment") == [])
        #expect(Self.offences(in: "    lua.push(student)").isEmpty)
        #expect(Self.offences(in: #"    ("trellis_version", run.trellisVersion), ("lua_ls", x)"#).isEmpty)
        #expect(Self.offences(in: #"    let s = "a \"quoted\" word", t = trellis_top(state)"#) == ["trellis_top("])
    }

    /// The lines of a Swift file that are code: the bodies of multi-line string literals
    /// (a README written by the CLI) are text, whatever words they hold.
    static func codeLines(of text: String) -> [(number: Int, line: Substring)] {
        var lines: [(number: Int, line: Substring)] = []
        var inText = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let delimiters = line.ranges(of: "\"\"\"").count
            if !inText { lines.append((index + 1, line)) }
            if delimiters % 2 == 1 { inText.toggle() }
        }
        return lines
    }

    @Test func multiLineTextIsNotCode() {
        let text = "let a = lua_gettop(s)\nlet readme = \"\"\"\n  lua_ls reads it\n  \"\"\"\nlet b = 1"
        #expect(Self.codeLines(of: text).map(\.number) == [1, 2, 5])
    }

    @Test func noLuaCallOutsideTheBridge() throws {
        let sources = Self.packageRoot.appending(path: "Sources")
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !Self.bridgeTargets.contains($0) }
        #expect(targets.contains("Trellis") && targets.contains("TrellisServer") && targets.contains("TrellisCLI"))
        var offences: [String] = []
        var filesRead = 0
        for target in targets {
            let folder = sources.appending(path: target)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appending(path: file), encoding: .utf8)
                filesRead += 1
                for (number, line) in Self.codeLines(of: text) {
                    for offence in Self.offences(in: line) { offences.append("Sources/\(target)/\(file):\(number): \(offence)") }
                }
            }
        }
        #expect(filesRead > 100)
        #expect(offences.isEmpty, "the Lua C API called outside TrellisLua:\n\(offences.joined(separator: "\n"))")
    }

    /// sandbox.lua takes the engine's functions by name and refuses a handshake that lacks one it
    /// reads or holds one it does not know: the two sides cannot drift apart unnoticed.
    @Test(arguments: [
        (["helpers_source", "setmetatable", "next", "register_shared", "mark_read_only"], "the engine passed the sandbox no pairs"),
        (["helpers_source", "setmetatable", "next", "pairs", "register_shared", "mark_read_only", "extra"], "the engine passed the sandbox an unknown extra"),
    ])
    func sandboxRefusesAWrongHandshake(names: [String], message: String) throws {
        let sandbox = try #require(EmbeddedLua.engineSources.first { $0.name == "sandbox.lua" }?.source)
        let lua = try LuaState(limits: RuleLimits().lua)
        try lua.load(sandbox, chunkName: "trellis/sandbox.lua")
        lua.newTable()
        for name in names {
            // Any function stands in for the engine's: the names are checked before any is used.
            if name == "helpers_source" { lua.push("return {}") } else { lua.push(LuaState.ContextFunction.log) }
            lua.setField(name)
        }
        do {
            try lua.call(arguments: 1, results: 1, guarded: false)
            Issue.record("the sandbox accepted \(names)")
        } catch {
            #expect(error.message == message)
        }
    }

    /// The engine's own handshake is accepted, with and without read-only input.
    @Test func theEnginesHandshakeIsAccepted() throws {
        let sandbox = try #require(EmbeddedLua.engineSources.first { $0.name == "sandbox.lua" }?.source)
        let helpers = try #require(EmbeddedLua.engineSources.first { $0.name == "helpers.lua" }?.source)
        for readOnly in [true, false] {
            let lua = try LuaState(limits: RuleLimits().lua, readOnlyInput: readOnly)
            let environment = try lua.loadSandbox(source: sandbox, chunkName: "trellis/sandbox.lua", helpersSource: helpers)
            lua.push(environment)
            #expect(lua.type(at: .top) == .table)
        }
    }
}
