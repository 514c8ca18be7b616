import Trellis

/// The files `trellis test` writes for CI systems: JUnit XML (`--junit`) and LCOV
/// (`--coverage-lcov`), the formats GitLab, Jenkins, GitHub's test reporters and Codecov read.
enum TestReportFiles {
    /// One `<testsuite>` per test file, one `<testcase>` per case; a failed case holds its
    /// failures (and what the rules logged, as `<system-out>`).
    static func junit(_ results: [RuleTestResult]) -> String {
        var files: [String] = []
        var byFile: [String: [RuleTestResult]] = [:]
        for result in results {
            if byFile[result.testCase.file] == nil { files.append(result.testCase.file) }
            byFile[result.testCase.file, default: []].append(result)
        }
        let failed = results.filter { !$0.passed }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"trellis test\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\">\n"
        for file in files {
            let cases = byFile[file] ?? []
            let fileFailed = cases.filter { !$0.passed }.count
            xml += "  <testsuite name=\"\(escaped(file))\" tests=\"\(cases.count)\" failures=\"\(fileFailed)\" errors=\"0\" skipped=\"0\">\n"
            for result in cases {
                let open = "    <testcase classname=\"\(escaped(file))\" name=\"\(escaped(result.testCase.name))\" file=\"\(escaped(result.testCase.location))\""
                guard !result.passed else {
                    xml += open + "/>\n"
                    continue
                }
                xml += open + ">\n"
                let summary = result.failures.first.map { String($0.prefix { $0 != "\n" }) } ?? "failed"
                xml += "      <failure message=\"\(escaped(summary))\">\(escaped(result.failures.joined(separator: "\n")))</failure>\n"
                if !result.logs.isEmpty {
                    let logs = result.logs.map { "log (\($0.rule)\($0.student.map { ", " + $0 } ?? "")): \($0.text)" }.joined(separator: "\n")
                    xml += "      <system-out>\(escaped(logs))</system-out>\n"
                }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// LCOV tracefile: per rule file, each line that holds code with 1 when a test ran it, else 0
    /// (the line hook records whether a line ran, not how often).
    static func lcov(_ coverage: [FileCoverage]) -> String {
        var text = ""
        for file in coverage {
            let run = Set(file.linesRun)
            text += "TN:trellis\nSF:\(file.path)\n"
            for line in file.executableLines { text += "DA:\(line),\(run.contains(line) ? 1 : 0)\n" }
            text += "LF:\(file.executableLines.count)\nLH:\(file.linesRun.count)\nend_of_record\n"
        }
        return text
    }

    /// Text as XML 1.0 allows it: markup escaped, and the control characters it cannot hold at
    /// all (escaped or not) replaced by U+FFFD.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let allowed = value >= 0x20 && !(0xFFFE...0xFFFF).contains(value)
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}
