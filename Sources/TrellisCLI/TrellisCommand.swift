import ArgumentParser
import Logging
import Trellis

@main
// Synchronous at the root: an async main parks the main thread in Dispatch's signal loop, which
// valgrind (used to count the instructions of a run, docs/performance.md) cannot run; `serve`
// bridges to its async server itself.
struct TrellisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trellis",
        abstract: "Recommends each student's next scaffolding step, prompt fade or choice menu, from Lua rules.",
        discussion: """
            Exit codes: 0 every student evaluated; 1 evaluated, with errors for some students or rules;
            2 the input or the rules cannot be used; 64 the command line is wrong.
            """,
        version: TrellisVersion.current,
        subcommands: [
            Evaluate.self, Diff.self, Replay.self, History.self, Report.self, Explain.self, Test.self, Check.self, Rules.self, New.self, Init.self,
            Generate.self, Import.self, Merge.self, Serve.self,
        ],
        defaultSubcommand: nil
    )
}

/// The documented exit codes.
enum Exit {
    static let evaluatedWithErrors = ExitCode(1)
    static let unusableInput = ExitCode(2)
}
