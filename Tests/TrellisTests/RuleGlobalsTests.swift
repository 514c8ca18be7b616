import Foundation
import Testing
@testable import Trellis

/// `trellis check` names the globals a rule reads that the sandbox does not have, with the fix,
/// instead of the rule failing at run time once per student.
@Suite(.serialized)
struct RuleGlobalsTests {
    let cli = CLITests()

    static let rule = """
        local limit = 3
        function shared_helper(skill) return #skill.sessions end
        return { id = "noisy", evaluate = function(student, ctx)
          print("looking at", student.id)
          for _, skill in ipairs(student.skills) do
            if shared_helper(skill) < limit then print(skill.id) end
            local n = trellis.sesions_in_a_row(skill)
          end
          return {}
        end }
        """

    @Test func theSandboxsGlobalsAreReadFromTheSandbox() throws {
        let names = try RuleGlobals.sandboxGlobals()
        #expect(names.isSuperset(of: ["trellis", "pairs", "ipairs", "string", "table", "math", "os", "tostring", "error", "pcall"]))
        #expect(names.isDisjoint(with: ["print", "require", "io", "debug", "load", "rawset", "collectgarbage", "_G"]))
    }

    @Test func printAndAMisspeltGlobalAreFoundOnceEachWithTheirLine() throws {
        let pack = RulePack(sources: [RuleSource(path: "school/noisy.lua", source: Self.rule)])
        let problems = try #require(try RuleGlobals.problems(in: pack))
        #expect(problems.map(\.description) == [
            "school/noisy.lua:4: print is not available in a rule: use ctx.log (trellis test and trellis explain show what it logs)"
        ], "the helper the file sets and the sandbox's own globals are not problems; a misspelt field of trellis is not a global")
        let typo = RulePack(sources: [RuleSource(path: "t.lua", source: "return { id = 't', evaluate = function(s) return tabel.concat({}) end }")])
        #expect(try RuleGlobals.problems(in: typo)?.map(\.description) == [
            "t.lua:1: tabel is not a global in a rule: a misspelt name, or a local declared after its use? It reads as nil"
        ])
    }

    @Test func theBundledRulesReadOnlyTheSandboxsGlobals() throws {
        #expect(try RuleGlobals.problems(in: .bundled) == [])
    }

    @Test func checkFailsOnPrintWithTheFix() throws {
        let folder = try cli.temporaryFolder()
        try Self.rule.write(to: folder.appending(path: "noisy.lua"), atomically: true, encoding: .utf8)
        let run = try cli.trellis(["check", folder.path])
        #expect(run.status == 2)
        #expect(run.stdout == "\(folder.path)/noisy.lua:4: print is not available in a rule: use ctx.log (trellis test and trellis explain show what it logs)\n", "\(run.stdout)")
        #expect(run.stderr.contains("1 problem found"))
    }
}
