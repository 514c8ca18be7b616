import Foundation
import Testing
@testable import Trellis

/// A rule folder is read as what it holds: a `.lua` (or a test file) that is a link to something
/// outside the folder, or anything other than a regular file, is refused by name and never read,
/// so a rule author cannot make Trellis print the start of another file in a syntax error.
@Suite struct RuleFolderLinkTests {
    let root: String
    let rules: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appending(path: "trellis-links-\(UUID().uuidString)").path
        rules = root + "/rules"
        try FileManager.default.createDirectory(atPath: rules + "/tests", withIntermediateDirectories: true)
        // Files outside the rule folder that a syntax error would quote: Lua names the token it
        // stopped at, Yams shows the line.
        try Data("token SECRET_4711 = rest of a private file\n".utf8).write(to: URL(fileURLWithPath: root + "/private.txt"))
        try Data("user: password: SECRET_4711\n".utf8).write(to: URL(fileURLWithPath: root + "/private.yaml"))
        try Data(#"return { id = "good", api = 1, evaluate = function() return nil end }"#.utf8).write(to: URL(fileURLWithPath: rules + "/good.lua"))
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: root) }

    func loadIssues() -> [TrellisIssue]? {
        do {
            _ = try Engine(rulePack: RulePack(directories: [rules]))
            return nil
        } catch {
            return error.issues
        }
    }

    @Test func aLinkOutOfTheFolderIsRefusedWithoutReadingIt() throws {
        defer { cleanUp() }
        try FileManager.default.createSymbolicLink(atPath: rules + "/leak.lua", withDestinationPath: root + "/private.txt")
        let issues = try #require(loadIssues(), "the pack loaded")
        #expect(!issues.map(\.description).joined().contains("SECRET"), "\(issues)")
        #expect(issues.contains { $0.location == rules + "/leak.lua" && $0.message.contains("link") }, "\(issues)")
        // A relative link that climbs out is the same.
        try FileManager.default.removeItem(atPath: rules + "/leak.lua")
        try FileManager.default.createSymbolicLink(atPath: rules + "/climb.lua", withDestinationPath: "../private.txt")
        let climbed = try #require(loadIssues(), "the pack loaded")
        #expect(!climbed.map(\.description).joined().contains("SECRET"), "\(climbed)")
        #expect(climbed.contains { $0.location == rules + "/climb.lua" }, "\(climbed)")
    }

    @Test func aLinkToADeviceOrThroughALinkedFolderOutsideIsRefused() throws {
        defer { cleanUp() }
        try FileManager.default.createSymbolicLink(atPath: rules + "/zero.lua", withDestinationPath: "/dev/zero")
        try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
        try Data("token SECRET_4711\n".utf8).write(to: URL(fileURLWithPath: root + "/elsewhere/x.lua"))
        try FileManager.default.createSymbolicLink(atPath: rules + "/sub", withDestinationPath: root + "/elsewhere")
        try FileManager.default.createSymbolicLink(atPath: rules + "/via.lua", withDestinationPath: "sub/x.lua")
        let issues = try #require(loadIssues(), "the pack loaded")
        #expect(issues.contains { $0.location == rules + "/zero.lua" }, "\(issues)")
        #expect(issues.contains { $0.location == rules + "/via.lua" }, "\(issues)")
        #expect(!issues.map(\.description).joined().contains("SECRET"), "\(issues)")
    }

    @Test(.timeLimit(.minutes(1)))
    func aNamedPipeIsRefusedRatherThanWaitedOn() async throws {
        defer { cleanUp() }
        #expect(mkfifo(rules + "/pipe.lua", 0o600) == 0)
        // Opening a pipe for reading waits for a writer: run it where a hang cannot stop the suite.
        let issues = await Task.detached { loadIssues() }.value
        let found = try #require(issues, "the pack loaded")
        #expect(found.contains { $0.location == rules + "/pipe.lua" && $0.message.contains("regular file") }, "\(found)")
    }

    @Test func aLinkInsideTheFolderToAFileInsideItIsARule() throws {
        defer { cleanUp() }
        try FileManager.default.createDirectory(atPath: rules + "/shared", withIntermediateDirectories: true)
        try Data(#"return { id = "linked", api = 1, evaluate = function() return nil end }"#.utf8).write(to: URL(fileURLWithPath: rules + "/shared/linked.txt"))
        try FileManager.default.createSymbolicLink(atPath: rules + "/linked.lua", withDestinationPath: "shared/linked.txt")
        let engine = try Engine(rulePack: RulePack(directories: [rules]))
        #expect(engine.rules.map(\.id) == ["good", "linked"])
        // The folder itself may be a link: it is the folder the user named.
        try FileManager.default.createSymbolicLink(atPath: root + "/alias", withDestinationPath: rules)
        #expect(try Engine(rulePack: RulePack(directories: [root + "/alias"])).rules.map(\.id) == ["good", "linked"])
    }

    @Test func aTestFileThatLinksOutOfTheFolderIsRefused() throws {
        defer { cleanUp() }
        try FileManager.default.createSymbolicLink(atPath: rules + "/tests/leak.yaml", withDestinationPath: root + "/private.yaml")
        let files = RuleTests.files(in: [rules])
        #expect(files == [rules + "/tests/leak.yaml"])
        #expect(throws: RuleTestError.self) { try RuleTests.load(file: rules + "/tests/leak.yaml") }
        do {
            _ = try RuleTests.load(file: rules + "/tests/leak.yaml")
        } catch {
            #expect(!error.description.contains("SECRET"), "\(error)")
            #expect(error.description.contains("link"), "\(error)")
        }
    }
}
