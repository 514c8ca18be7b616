import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `trellis test --junit FILE` and `--coverage-lcov FILE`: the files CI systems read.
@Suite(.serialized)
struct TestReportFileTests {
    let cli = CLITests()

    @Test func junitAndLCOVDescribeTheRunAndAreWellFormed() throws {
        let folder = try cli.temporaryFolder()
        try """
            return { id = "chatty", evaluate = function(student, ctx)
              ctx.log("saw <" .. student.id .. "> & more")
              if student.id == "never" then
                return {}
              end
              return { { skill = student.skills[1].id, kind = "note", action = "chat", reason = "chatted" } }
            end }
            """.write(to: folder.appending(path: "chatty.lua"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appending(path: "tests"), withIntermediateDirectories: true)
        try """
            cases:
              - name: chats
                document: { trellis: 1, as_of: "2026-11-20", students: [ { id: s1, skills: [ { id: k, sessions: [] } ] } ] }
                expect:
                  - { student: s1, skill: k, kind: note, action: chat }
              - name: "expects <too> much & more"
                document: { trellis: 1, as_of: "2026-11-20", students: [ { id: s2, skills: [ { id: k, sessions: [] } ] } ] }
                expect:
                  - { student: s2, skill: k, kind: note, action: shout }
            """.write(to: folder.appending(path: "tests/chatty.yaml"), atomically: true, encoding: .utf8)
        let junit = folder.appending(path: "out/junit.xml")
        let lcov = folder.appending(path: "lcov.info")
        try FileManager.default.createDirectory(at: junit.deletingLastPathComponent(), withIntermediateDirectories: true)
        let run = try cli.trellis(["test", "--no-bundled", "--junit", junit.path, "--coverage-lcov", lcov.path, folder.path])
        #expect(run.status == 1, "a case failed: \(run.stdout)\(run.stderr)")
        #expect(!run.stdout.contains("Coverage:"), "--coverage-lcov alone writes only the file")

        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(XMLParser(data: Data(xml.utf8)).parse(), "well-formed:\n\(xml)")
        #expect(xml.contains(#"<testsuites name="trellis test" tests="2" failures="1" errors="0">"#), "\(xml)")
        #expect(xml.contains(#"<testsuite name="\#(folder.path)/tests/chatty.yaml" tests="2" failures="1" errors="0" skipped="0">"#), "\(xml)")
        #expect(xml.contains(#"name="chats" file="\#(folder.path)/tests/chatty.yaml:2:5"/>"#), "\(xml)")
        #expect(xml.contains(#"name="expects &lt;too&gt; much &amp; more""#))
        #expect(xml.contains(#"<failure message="\#(folder.path)/tests/chatty.yaml:9:9: expected action: &quot;shout&quot;"#), "\(xml)")
        #expect(xml.contains("<system-out>log (chatty, s2): saw &lt;s2&gt; &amp; more</system-out>"), "\(xml)")

        let info = try String(contentsOf: lcov, encoding: .utf8)
        let path = folder.path + "/chatty.lua"
        #expect(info.hasPrefix("TN:trellis\nSF:\(path)\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,0\n"), "\(info)")
        #expect(info.contains("\nDA:6,1\n") && info.hasSuffix("end_of_record\n"), "\(info)")
        let found = info.split(separator: "\n").filter { $0.hasPrefix("DA:") }.count
        let hit = info.split(separator: "\n").filter { $0.hasPrefix("DA:") && $0.hasSuffix(",1") }.count
        #expect(info.contains("LF:\(found)\nLH:\(hit)\n"), "\(info)")

        let unwritable = try cli.trellis(["test", "--no-bundled", "--junit", folder.appending(path: "no/such/dir/j.xml").path, folder.path])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("cannot write"), "\(unwritable.stderr)")
    }
}
