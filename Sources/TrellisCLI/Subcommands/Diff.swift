import ArgumentParser
import Foundation
import Trellis

/// `trellis diff`: what would change for each student under another setup (contract section 6).
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List what changes for each student between the base setup and the one given (what-if).",
        discussion: """
            Evaluates INPUT under the base setup (the bundled rules and their defaults, unless --base-rules, \
            --base-config or --base-param say otherwise) and under the setup of --rules, --config and --param, \
            and lists each student, skill and kind whose winning recommendation differs in action, target or \
            options, or exists under one setup only. See docs/time.md.

            Exit codes: 0 both evaluations clean; 1 some students or rules had errors (on standard error); \
            2 the input or the rules cannot be used.
            """
    )

    @Option(help: ArgumentHelp("table, json or csv (default: table on a terminal, else json).", valueName: "format"))
    var format: DiffFormat?

    @OptionGroup var inputOptions: InputOptions

    @OptionGroup var rules: RuleOptions

    @OptionGroup var base: BaseRuleOptions

    @Argument(help: ArgumentHelp("The class document or NDJSON roster, or - for standard input.", valueName: "input"), completion: .file())
    var input: String

    enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    func run() throws {
        let (engine, settings) = try rules.makeEngine()
        let (baseEngine, baseSettings) = try base.ruleOptions(limitsOf: rules).makeEngine()
        let whole = try inputOptions.readWhole(path: input)
        let ladders = settings?.ladders ?? Ladders()
        let baseLadders = baseSettings?.ladders ?? Ladders()
        let roster = try inputOptions.roster(whole.bytes, sourceName: whole.sourceName, ndjson: whole.ndjson, ladders: ladders)
        // Two configurations with their own ladders read a document without ladders differently.
        let baseRoster = baseLadders == ladders
            ? roster : try inputOptions.roster(whole.bytes, sourceName: whole.sourceName, ndjson: whole.ndjson, ladders: baseLadders)
        let before = baseEngine.evaluate(baseRoster, jobs: inputOptions.jobs)
        let after = engine.evaluate(roster, jobs: inputOptions.jobs)
        let changes = WhatIf.changes(before: before, after: after)
        switch format ?? (Terminal.isTerminal(STDOUT_FILENO) ? .table : .json) {
        case .json: print(WhatIf.json(changes), terminator: "")
        case .csv: print(WhatIf.csv(changes), terminator: "")
        case .table: print(WhatIf.table(changes), terminator: "")
        }
        // Bad input is reported under both setups alike: once. A rule's error under the base setup only says so.
        let afterIssues = Self.distinct(after.issues.map(\.description))
        let baseOnly = Self.distinct(before.issues.map(\.description)).filter { !afterIssues.contains($0) }
        for issue in afterIssues { Terminal.printError(issue) }
        for issue in baseOnly { Terminal.printError("base setup: " + issue) }
        if !before.isClean || !after.isClean { throw Exit.evaluatedWithErrors }
    }

    /// `lines` without repeats, in order: a student skipped for bad data is reported once.
    static func distinct(_ lines: [String]) -> [String] {
        var seen: Set<String> = []
        return lines.filter { seen.insert($0).inserted }
    }
}
