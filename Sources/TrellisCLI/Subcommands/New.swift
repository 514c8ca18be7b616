import ArgumentParser
import Foundation
import Trellis

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a new rule and its test from a template.",
        discussion: "Writes DIR/NAME.lua and DIR/tests/NAME.yaml; never overwrites a file."
    )

    @Argument(help: ArgumentHelp("The rule's id and file name: lowercase words joined by '-'.", valueName: "name"))
    var name: String

    @Option(name: .customLong("dir"), help: ArgumentHelp("The rule folder.", valueName: "dir"), completion: .directory)
    var directory: String = "rules"

    func validate() throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard !name.isEmpty, name.allSatisfy(allowed.contains), name.first?.isLetter == true, !name.hasSuffix("-") else {
            throw ValidationError("a rule name is lowercase letters, digits and '-', starting with a letter, such as needs-data")
        }
    }

    func run() throws {
        let rule = "\(directory)/\(name).lua"
        let test = "\(directory)/tests/\(name).yaml"
        for path in [rule, test] where FileManager.default.fileExists(atPath: path) {
            Terminal.printError("\(path) exists already; choose another name")
            throw Exit.unusableInput
        }
        try FileManager.default.createDirectory(atPath: "\(directory)/tests", withIntermediateDirectories: true)
        try RuleTemplate.rule(named: name).write(toFile: rule, atomically: true, encoding: .utf8)
        try RuleTemplate.test(named: name).write(toFile: test, atomically: true, encoding: .utf8)
        print("wrote \(rule) and \(test)")
        print("next: edit the rule, then run: trellis test \(directory) --run \(name)")
    }
}
