import ArgumentParser
import Trellis

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the rules with their parameters and defaults.")

    @Option(name: .customLong("rules"), help: RuleFolders.rulesHelp, completion: .directory)
    var ruleDirectories: [String] = []

    @Flag(name: .customLong("no-bundled"), help: RuleFolders.noBundledHelp)
    var noBundled = false

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format: OutputStyle = .text

    func validate() throws {
        try RuleFolders.validate(ruleDirectories, noBundled: noBundled)
    }

    func run() throws {
        let engine: Engine
        do throws(TrellisError) {
            let pack = try RuleFolders.pack(ruleDirectories, noBundled: noBundled)
            engine = try Engine(rulePack: pack)
        } catch {
            Terminal.printUnusable(error)
            throw Exit.unusableInput
        }
        switch format {
        case .json:
            print(JSONValue.array(engine.rules.map { $0.json() }).jsonText)
        case .text:
            // Ids, descriptions and parameter texts are the rule files' own words.
            let e = { (text: String) in TerminalText.escaped(text) }
            for rule in engine.rules {
                let traits = (rule.evaluatesClass ? ", class-level" : "") + (rule.readsResults ? ", reads results" : "")
                Terminal.printOut("\(e(rule.id))  (priority \(JSONValue.number(rule.priority).jsonText)\(traits), \(e(rule.path)))")
                if let description = rule.description { Terminal.printOut("  \(e(description))") }
                for parameter in rule.parameters { Terminal.printOut("    " + e(parameter.summary)) }
                Terminal.printOut("")
            }
        }
    }
}
