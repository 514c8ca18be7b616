import ArgumentParser
import Trellis

/// The one reading of `--rules DIR` and `--no-bundled` for every command: the folders' rules
/// are added to the bundled pack (replacing a bundled rule of the same id, which is said on
/// standard error), or run alone with `--no-bundled`.
enum RuleFolders {
    static let rulesHelp = ArgumentHelp(
        "A rule folder whose rules are added to the bundled ones; a rule with a bundled rule's id replaces it (repeatable).", valueName: "dir")
    static let noBundledHelp = ArgumentHelp("Run only the rules of the --rules folders, without the bundled pack.")

    /// `--no-bundled` without a folder would leave no rule to run.
    static func validate(_ directories: [String], noBundled: Bool) throws {
        if noBundled && directories.isEmpty { throw ValidationError("--no-bundled runs only the --rules folders: give at least one") }
    }

    /// The pack, after a note on standard error for each bundled rule a folder replaces.
    static func pack(_ directories: [String], noBundled: Bool) throws(TrellisError) -> RulePack {
        let pack = try RulePack(directories: directories, includingBundled: !noBundled)
        for replacement in pack.replacements { Terminal.printError("note: \(replacement)") }
        return pack
    }
}
