import ArgumentParser
import Trellis
import TrellisServer

/// The options that choose and configure the rules, shared by the commands that evaluate.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: RuleFolders.rulesHelp, completion: .directory)
    var directories: [String] = []

    @Flag(name: .customLong("no-bundled"), help: RuleFolders.noBundledHelp)
    var noBundled = false

    @Option(name: .customLong("config"), help: ArgumentHelp("A school's configuration (YAML): rules on or off, parameters, ladders, limits.", valueName: "file"), completion: .file())
    var configuration: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Override a rule parameter: rule.name=value (repeatable).", valueName: "rule.name=value"))
    var parameters: [String] = []

    @Option(name: .customLong("max-instructions"), help: "Lua instructions one rule may run for one student (0: no limit; default 10000000).")
    var maxInstructions: Int64?

    @Option(name: .customLong("max-memory"), help: "Megabytes of Lua memory a rule may use (0: no limit; default 64).")
    var maxMemoryMegabytes: Int?

    @Option(name: .customLong("max-time"), help: "Milliseconds one rule may run for one student (0: no limit; default 1000).")
    var maxMilliseconds: Int?

    // Exists to measure what the sandbox costs; not in the help.
    @Flag(name: .customLong("unsafe-no-sandbox"), help: .hidden)
    var unsandboxed = false

    func validate() throws {
        guard (maxInstructions ?? 0) >= 0, (maxMemoryMegabytes ?? 0) >= 0, (maxMilliseconds ?? 0) >= 0 else {
            throw ValidationError("limits must not be negative")
        }
        try RuleFolders.validate(directories, noBundled: noBundled)
        _ = try parsedParameters()
    }

    /// The engine these options describe, and the configuration (for its ladders). Prints the
    /// problems and exits with status 2 when the rules or the configuration cannot be used.
    func makeEngine() throws -> (engine: Engine, configuration: Configuration?) {
        let source = try packSource()
        do throws(TrellisError) {
            let pack = try source.rulePack()
            for replacement in pack.replacements { Terminal.printError("note: \(replacement)") }
            return try source.engine(for: pack)
        } catch {
            Terminal.printUnusable(error)
            throw Exit.unusableInput
        }
    }

    /// Where the rules come from (`trellis serve` reads them again at every reload): the one
    /// reading of the folders, the configuration, `--param` and the limits for every command.
    func packSource() throws -> RulePackSource {
        RulePackSource(
            directories: directories, includesBundled: !noBundled, configurationPath: configuration, parameters: try parsedParameters(), instructions: maxInstructions,
            memoryBytes: maxMemoryMegabytes.map { $0 << 20 }, milliseconds: maxMilliseconds, isolation: unsandboxed ? .unsandboxed : .sandboxed)
    }

    /// `--param rule.name=value`: the value is JSON when it parses as JSON, else a string.
    private func parsedParameters() throws -> [String: [String: JSONValue]] {
        var values: [String: [String: JSONValue]] = [:]
        for assignment in parameters {
            guard let equals = assignment.firstIndex(of: "="), let dot = assignment[..<equals].lastIndex(of: ".") else {
                throw ValidationError("--param \(assignment): expected rule.name=value, such as prompt-fading.fade_percent=90")
            }
            let rule = String(assignment[..<dot])
            let name = String(assignment[assignment.index(after: dot)..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            values[rule, default: [:]][name] = JSONValue(parsing: text) ?? .string(text)
        }
        return values
    }
}
