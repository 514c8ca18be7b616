import Foundation
import Testing
import Trellis

/// The version is written once and said the same everywhere; the licence is the whole Apache-2.0.
@Suite(.serialized)
struct ReleaseFilesTests {
    let cli = CLITests()

    @Test func versionPrintsTheOneVersion() throws {
        let run = try cli.trellis(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout == TrellisVersion.current + "\n")
        #expect(TrellisVersion.current.split(separator: ".").count == 3 && TrellisVersion.current.split(separator: ".").allSatisfy { Int($0) != nil })
    }

    /// The packaging scripts read the version through scripts/version.sh; when TrellisVersion
    /// became `package` API, their old pattern (`public static let`) found none and the package
    /// could not be built.
    @Test func thePackagingScriptsReadTheOneVersion() throws {
        let script = CLITests.packageRoot.appending(path: "scripts/version.sh")
        let run = try cli.run(URL(fileURLWithPath: "/bin/bash"), [script.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == TrellisVersion.current + "\n")
    }

    @Test func theChangelogsLatestReleaseIsTheVersion() throws {
        let text = try String(contentsOf: CLITests.packageRoot.appending(path: "CHANGELOG.md"), encoding: .utf8)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("## [") }
        #expect(headings.first == "## [Unreleased]")
        let release = try #require(headings.dropFirst().first)
        #expect(release.hasPrefix("## [\(TrellisVersion.current)] - "), "\(release)")
        #expect(release.wholeMatch(of: /## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}/) != nil, "\(release)")
    }

    @Test func theLicenceIsApache2WithItsTermsAndAppendix() throws {
        let text = try String(contentsOf: CLITests.packageRoot.appending(path: "LICENSE"), encoding: .utf8)
        #expect(text.contains("Apache License\n                           Version 2.0, January 2004"))
        for section in ["1. Definitions.", "2. Grant of Copyright License.", "3. Grant of Patent License.", "4. Redistribution.",
                        "5. Submission of Contributions.", "6. Trademarks.", "7. Disclaimer of Warranty.", "8. Limitation of Liability.",
                        "9. Accepting Warranty or Additional Liability.", "END OF TERMS AND CONDITIONS", "APPENDIX: How to apply the Apache License"] {
            #expect(text.contains(section), "\(section)")
        }
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 203)
    }
}
