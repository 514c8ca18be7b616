import ArgumentParser
import Foundation
import Trellis

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a school's rule folder: a sample rule and its test, school.yaml, editor and linter settings, a README.",
        discussion: """
            school.yaml lists every rule's parameters at their defaults, commented out. .luarc.json and \
            .luacheckrc point at the rule author's kit: /usr/share/trellis when installed from the package, \
            else the source checkout a developer's build was built in. Refuses a folder that is not empty \
            unless --force is given (which replaces only the files it writes).

            Exit codes: 0 written; 2 the folder is not empty, or cannot be written.
            """
    )

    /// The sample rule: the template of `trellis new`, whose test passes as written.
    static let sampleRule = "needs-data"

    @Argument(help: ArgumentHelp("The folder to make (created if missing).", valueName: "dir"), completion: .directory)
    var directory: String

    @Flag(help: "Write into a folder that is not empty, replacing the files init writes.")
    var force = false

    func run() throws {
        let files = FileManager.default
        let folder = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                Terminal.printError("\(folder) is a file, not a folder")
                throw Exit.unusableInput
            }
            let entries = (try? files.contentsOfDirectory(atPath: folder)) ?? []
            if !entries.isEmpty && !force {
                Terminal.printError("\(folder) is not empty (\(entries.count) entr\(entries.count == 1 ? "y" : "ies")); choose a new folder, or use --force to write the starter files into it")
                throw Exit.unusableInput
            }
        }
        let kit = RuleAuthorKit.find()
        do {
            try files.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
            try write(RuleTemplate.rule(named: Self.sampleRule), to: "\(folder)/\(Self.sampleRule).lua")
            try write(RuleTemplate.test(named: Self.sampleRule), to: "\(folder)/tests/\(Self.sampleRule).yaml")
            // The school's settings are read from the rules themselves, the sample included, so
            // that every parameter is listed with the default in force.
            let pack = try RulePack(directories: [folder], includingBundled: true)
            let engine = try Engine(rulePack: pack)
            let bundledIDs = Set(try Engine(rulePack: .bundled).rules.map(\.id))
            try write(
                SchoolConfigurationText.text(rules: engine.rules, bundledIDs: bundledIDs, folder: folder, version: TrellisVersion.current),
                to: "\(folder)/school.yaml")
            let settings = kit ?? RuleAuthorKit.installed
            try write(settings.luarc, to: "\(folder)/.luarc.json")
            try write(settings.luacheckrc, to: "\(folder)/.luacheckrc")
            try write(SchoolReadme.text(folder: folder, sampleRule: Self.sampleRule), to: "\(folder)/README.md")
        } catch let error as TrellisError {
            Terminal.printUnusable(error)
            throw Exit.unusableInput
        } catch {
            Terminal.printError("cannot write in \(folder): \(FileProblem.systemReason(error))")
            throw Exit.unusableInput
        }
        if kit == nil {
            Terminal.printError("note: the rule author's kit was not found beside this trellis; .luarc.json and .luacheckrc point at \(RuleAuthorKit.installed.typesDirectory.dropLast(6)), where the Debian package installs it")
        }
        print("wrote \(folder): \(Self.sampleRule).lua, tests/\(Self.sampleRule).yaml, school.yaml, .luarc.json, .luacheckrc, README.md")
        print("next: trellis check \(folder) && trellis test \(folder)")
    }

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
