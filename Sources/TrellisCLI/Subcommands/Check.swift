import ArgumentParser
import Foundation
import Trellis

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load rules without evaluating anyone, and report every problem with its file and line.",
        discussion: "Exit codes: 0 the rules are fine; 2 something is wrong."
    )

    @Argument(help: ArgumentHelp("Rule folders, checked beside the bundled rules (default: ./rules if there is one, else the bundled rules alone).", valueName: "dir"), completion: .directory)
    var directories: [String] = []

    @Flag(name: .customLong("no-bundled"), help: "Check the folders' rules without the bundled pack beside them.")
    var noBundled = false

    @Option(name: .customLong("config"), help: ArgumentHelp("Also check a configuration file against the rules.", valueName: "file"), completion: .file())
    var configuration: String?

    func validate() throws {
        try RuleFolders.validate(folders, noBundled: noBundled)
    }

    /// The folders named, or `rules` where there is one: `trellis new` writes there.
    private var folders: [String] {
        guard directories.isEmpty else { return directories }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: "rules", isDirectory: &isDirectory) && isDirectory.boolValue ? ["rules"] : []
    }

    func run() throws {
        do {
            let folders = folders
            let pack = try RuleFolders.pack(folders, noBundled: noBundled)
            let settings = try configuration.map { try Configuration(contentsOf: $0) }
            let engine = try Engine(rulePack: pack, parameters: settings?.parameters(for: pack) ?? [:])
            // The folders' own rules are the ones being checked; the bundled ones are named by count.
            let own = folders.isEmpty ? engine.rules : engine.rules.filter { rule in !pack.sources.contains { $0.path == rule.path && $0.isBundled } }
            // Globals the sandbox does not have fail only when their line runs: said now.
            let checked = RulePack(sources: folders.isEmpty ? pack.sources : pack.sources.filter { !$0.isBundled })
            if let problems = try RuleGlobals.problems(in: checked) {
                if !problems.isEmpty { throw TrellisError(issues: problems) }
            } else {
                Terminal.printError("note: the globals the rules read were not checked: that needs luac5.4 (Debian's lua5.4 package)")
            }
            let count = own.count == 1 ? "1 rule is" : "\(own.count) rules are"
            let beside = own.count == engine.rules.count ? "" : " (beside \(engine.rules.count - own.count) bundled rules)"
            Terminal.printOut("\(count) fine: \(own.map { TerminalText.escaped($0.id) }.joined(separator: ", "))\(beside)")
        } catch let error as TrellisError {
            for issue in error.issues { Terminal.printOut(issue.description) }
            Terminal.printError("\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") found")
            throw Exit.unusableInput
        }
    }
}
