import ArgumentParser
import Trellis

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load rules without evaluating anyone, and report every problem with its file and line.",
        discussion: "Exit codes: 0 the rules are fine; 2 something is wrong."
    )

    @Argument(help: ArgumentHelp("Rule folders (default: rules).", valueName: "dir"))
    var directories: [String] = ["rules"]

    @Option(name: .customLong("config"), help: ArgumentHelp("Also check a configuration file against the rules.", valueName: "file"))
    var configuration: String?

    func run() throws {
        do {
            let pack = try RulePack(directories: directories)
            let settings = try configuration.map { try Configuration(contentsOf: $0) }
            let engine = try Engine(rulePack: pack, parameters: settings?.parameters(for: pack) ?? [:])
            let count = engine.rules.count == 1 ? "1 rule is" : "\(engine.rules.count) rules are"
            Terminal.printOut("\(count) fine: \(engine.rules.map { TerminalText.escaped($0.id) }.joined(separator: ", "))")
        } catch let error as RulePackError {
            for issue in error.issues { Terminal.printOut(issue.description) }
            Terminal.printError("\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") found")
            throw Exit.unusableInput
        } catch let error as ConfigurationError {
            for issue in error.issues { Terminal.printOut(issue) }
            throw Exit.unusableInput
        }
    }
}
