import ArgumentParser
import Trellis

/// The base setup `trellis diff` compares against: the bundled pack and its defaults unless
/// these say otherwise. The limits and sandbox are those of the setup tried.
struct BaseRuleOptions: ParsableArguments {
    @Option(name: .customLong("base-rules"), help: ArgumentHelp("A rule folder of the base setup instead of the bundled rules (repeatable).", valueName: "dir"), completion: .directory)
    var directories: [String] = []

    @Option(name: .customLong("base-config"), help: ArgumentHelp("The base setup's configuration (YAML).", valueName: "file"), completion: .file())
    var configuration: String?

    @Option(name: .customLong("base-param"), help: ArgumentHelp("Override a rule parameter in the base setup: rule.name=value (repeatable).", valueName: "rule.name=value"))
    var parameters: [String] = []

    func validate() throws {
        _ = try ruleOptions(limitsOf: nil)
    }

    /// The base setup as `RuleOptions`, so that it is built exactly as the setup tried is:
    /// the same parsing of `--param`, the same engine, the same reporting of what is unusable.
    func ruleOptions(limitsOf setup: RuleOptions?) throws -> RuleOptions {
        var arguments: [String] = []
        for directory in directories { arguments += ["--rules", directory] }
        if let configuration { arguments += ["--config", configuration] }
        for parameter in parameters { arguments += ["--param", parameter] }
        if let setup {
            if let instructions = setup.maxInstructions { arguments += ["--max-instructions", String(instructions)] }
            if let megabytes = setup.maxMemoryMegabytes { arguments += ["--max-memory", String(megabytes)] }
            if let milliseconds = setup.maxMilliseconds { arguments += ["--max-time", String(milliseconds)] }
            if setup.unsandboxed { arguments.append("--unsafe-no-sandbox") }
        }
        do {
            return try RuleOptions.parse(arguments)
        } catch {
            throw ValidationError(RuleOptions.message(for: error).replacing("--param ", with: "--base-param "))
        }
    }
}
