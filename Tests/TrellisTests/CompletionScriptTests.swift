import Foundation
import Testing

/// The shell completions `trellis --generate-completion-script` writes (the Debian package installs
/// them) complete paths where a command takes a file or a folder: inputs, --rules, --config, --output.
@Suite(.serialized)
struct CompletionScriptTests {
    let cli = CLITests()

    func script(_ shell: String) throws -> String {
        let run = try cli.trellis(["--generate-completion-script", shell])
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout
    }

    /// The bash case of `option` in the function of `subcommand`: what it completes.
    func bashCase(_ script: String, subcommand: String, option: String) throws -> String {
        let function = try #require(script.range(of: "_trellis_\(subcommand)() {"), "no function for \(subcommand)")
        let body = script[function.upperBound...]
        let end = body.range(of: "\n}\n").map { body[..<$0.lowerBound] } ?? body
        let start = try #require(end.range(of: "'\(option)'"), "\(subcommand) has no case for \(option)")
        let rest = end[start.upperBound...]
        return String(rest[..<(rest.range(of: ";;")?.lowerBound ?? rest.endIndex)])
    }

    @Test func bashCompletesFoldersForRulesAndFilesForConfigOutputAndInputs() throws {
        let bash = try script("bash")
        for subcommand in ["evaluate", "report", "explain", "diff", "replay", "rules"] {
            #expect(try bashCase(bash, subcommand: subcommand, option: "--rules").contains("_add_completions -d"), "\(subcommand) --rules")
        }
        for subcommand in ["evaluate", "report", "explain", "check"] {
            #expect(try bashCase(bash, subcommand: subcommand, option: "--config").contains("_add_completions -f"), "\(subcommand) --config")
        }
        for subcommand in ["evaluate", "report", "merge"] {
            #expect(try bashCase(bash, subcommand: subcommand, option: "--output").contains("_add_completions -f"), "\(subcommand) --output")
        }
        // The positional INPUT of evaluate: files once the options are done.
        let evaluate = try #require(bash.range(of: "_trellis_evaluate() {"))
        let body = bash[evaluate.upperBound...]
        let function = body[..<(body.range(of: "\n}\n")?.lowerBound ?? body.endIndex)]
        let positional = try #require(function.range(of: "case \"${positional_number}\" in"), "evaluate completes no positional argument")
        #expect(function[positional.upperBound...].contains("__trellis_add_completions -f\n"), "evaluate's INPUT completes files")
    }

    @Test func zshAndFishCompleteThePathsToo() throws {
        let zsh = try script("zsh")
        #expect(zsh.contains("replaces it (repeatable).]:dir:_files -/'"), "--rules completes folders in zsh")
        #expect(zsh.contains("rules on or off, parameters, ladders, limits.]:file:_files'"), "--config completes files in zsh")
        #expect(zsh.contains(":input:_files'"), "INPUT completes files in zsh")
        let fish = try script("fish")
        let rules = try #require(fish.split(separator: "\n").first { $0.contains("evaluate") && $0.contains("-l 'rules'") }, "fish has no --rules for evaluate")
        #expect(rules.contains("__trellis_complete_directories"), "\(rules)")
        let config = try #require(fish.split(separator: "\n").first { $0.contains("evaluate") && $0.contains("-l 'config'") })
        #expect(config.contains("-rF"), "\(config)")
    }
}
