import Foundation
import Testing

/// The bundled pack's output, byte for byte, against files written before the pack was made faster
/// (Fixtures/golden): the example class as JSON, and a generated 12-student roster as NDJSON and
/// CSV. A change to the rules or helpers that is meant to be invisible (a cache, a loop made
/// cheaper) must leave these unchanged; a change that is meant to change decisions or reasons
/// writes them again, and the diff shows what moved.
@Suite(.serialized)
struct GoldenOutputTests {
    let cli = CLITests()
    static let golden = CLITests.packageRoot.appending(path: "Tests/TrellisTests/Fixtures/golden")

    private func expectSame(_ output: String, as name: String) throws {
        let expected = try String(contentsOf: Self.golden.appending(path: name), encoding: .utf8)
        if output == expected { return }
        let produced = output.split(separator: "\n", omittingEmptySubsequences: false)
        let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(produced, wanted).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(produced.count, wanted.count)
        Issue.record("""
            \(name) differs from the bundled pack's golden output, first at line \(line + 1):
            got      \(line < produced.count ? String(produced[line].prefix(400)) : "(end)")
            expected \(line < wanted.count ? String(wanted[line].prefix(400)) : "(end)")
            """)
    }

    @Test("the example class's JSON output is the golden file, byte for byte")
    func exampleClassJSON() throws {
        let run = try cli.trellis(["evaluate", "--quiet", "--format", "json", CLITests.exampleClass])
        #expect(run.status == 0, "\(run.stderr)")
        try expectSame(run.stdout, as: "class-3b.json")
    }

    @Test("a generated roster's NDJSON and CSV output, with one worker and two, are the golden files")
    func generatedRoster() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = folder.appending(path: "header.json").path
        let roster = folder.appending(path: "roster.ndjson").path
        let generated = try cli.trellis(["generate", "--students", "12", "--seed", "1", "--class", header, "-o", roster])
        #expect(generated.status == 0, "\(generated.stderr)")
        for jobs in ["1", "2"] {
            for format in ["ndjson", "csv"] {
                let run = try cli.trellis(["evaluate", "--quiet", "--jobs", jobs, "--format", format, "--class", header, roster])
                #expect(run.status == 0, "\(run.stderr)")
                try expectSame(run.stdout, as: "generated-12.\(format)")
            }
        }
    }
}
