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
        do throws(RulePackError) {
            let pack = try RuleFolders.pack(ruleDirectories, noBundled: noBundled)
            engine = try Engine(rulePack: pack)
        } catch {
            Terminal.printError("the rules cannot be used:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
            throw Exit.unusableInput
        }
        switch format {
        case .json:
            let rules = engine.rules.map { rule -> JSONValue in
                .object([
                    "id": .string(rule.id), "path": .string(rule.path), "description": rule.description.map(JSONValue.string) ?? .null,
                    "priority": .number(rule.priority), "api": .integer(Int64(rule.api)), "class_level": .bool(rule.evaluatesClass),
                    "reads_results": .bool(rule.readsResults),
                    "params": .array(rule.parameters.map { parameter in
                        .object([
                            "name": .string(parameter.name), "type": .string(parameter.type.rawValue), "default": parameter.defaultValue,
                            "min": parameter.minimum.map(JSONValue.number) ?? .null, "max": parameter.maximum.map(JSONValue.number) ?? .null,
                            "description": parameter.description.map(JSONValue.string) ?? .null,
                        ])
                    }),
                ])
            }
            print(JSONValue.array(rules).jsonText)
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
