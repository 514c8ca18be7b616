import Foundation
import Testing

@testable import Trellis

/// The import fixtures: exports written for these tests with real exports' quirks.
enum ImportFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/import")
    static let gradebook = folder.appending(path: "oneroster-gradebook").path
    static let xapi = folder.appending(path: "xapi").path
    static let header = folder.appending(path: "header.json").path

    static func context() throws -> ClassContext {
        let data = try Data(contentsOf: URL(fileURLWithPath: header))
        return try RosterReader.readHeader(Array(data), sourceName: header)
    }

    /// The issues as `name.csv:line: field` (no folder), to compare with expectations.
    static func places(_ issues: [ImportIssue]) -> [String] {
        issues.map { issue in
            var text = URL(fileURLWithPath: issue.file).lastPathComponent
            if let line = issue.line { text += ":\(line)" }
            if let field = issue.field { text += ": \(field)" }
            return text
        }
    }

    /// What `trellis evaluate` would read back from the written document.
    static func roundTrip(_ document: ClassDocument) throws -> Roster {
        try RosterReader.read(Array(DocumentJSON.document(document).utf8), sourceName: "imported.json")
    }
}

@Suite struct CSVTableTests {
    private func parse(_ text: String) -> (CSVTable?, [ImportIssue]) {
        var log = IssueLog()
        let table = CSVTable.parse(text, file: "t.csv", issues: &log)
        return (table, log.issues)
    }

    @Test func rowsKnowTheLineTheyStartOnAcrossMixedEndingsAndQuotedLineBreaks() throws {
        let text = "id,title\r\n1,plain\n2,\"two\r\nlines\"\r\n\n3,\"a \"\"quoted\"\" word, and a comma\"\r4,last"
        let (table, issues) = parse(text)
        let rows = try #require(table).rows
        #expect(issues.isEmpty)
        #expect(rows.map(\.line) == [2, 3, 6, 7])
        #expect(rows.map { $0.value(0) } == ["1", "2", "3", "4"])
        #expect(rows[1].value(1) == "two\r\nlines")
        #expect(rows[2].value(1) == "a \"quoted\" word, and a comma")
        // No final newline: the last row is still read whole.
        #expect(rows[3].value(1) == "last")
    }

    @Test func columnsAreFoundInAnyCaseAndNearNamesWithAWarning() throws {
        let (table, _) = parse("SourcedID,prefferedGivenName,role\nu1,Ana,student\n")
        var log = IssueLog()
        let parsed = try #require(table)
        #expect(parsed.column("sourcedId", issues: &log) == 0)
        #expect(log.issues.isEmpty)
        #expect(parsed.column("preferredGivenName", issues: &log) == 1)
        #expect(log.issues.map(\.description) == ["t.csv:1: prefferedGivenName: warning: read as the column preferredGivenName"])
        // Too short to guess at: `rule` is not `role`.
        #expect(parsed.column("rule", issues: &log) == nil)
    }

    @Test func aFileThatIsNotUTF8IsReadAsWindows1252() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "latin-\(UUID().uuidString).csv").path
        // "Zoë" in Windows-1252, after a header.
        try Data([0x69, 0x64, 0x0A, 0x5A, 0x6F, 0xEB]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var log = IssueLog()
        let table = try #require(CSVTable.read(path: path, file: "latin.csv", issues: &log))
        #expect(table.rows.first?.value(0) == "Zoë")
        #expect(log.issues.map(\.description) == ["latin.csv: warning: not UTF-8: read as Windows-1252"])
    }

    @Test func anEmptyFileIsAFault() {
        let (table, issues) = parse("\n\r\n")
        #expect(table == nil)
        #expect(issues.map(\.description) == ["t.csv: the file is empty: expected a header row"])
    }
}

@Suite struct ImportDateTests {
    @Test(arguments: [
        ("2026-11-03", "2026-11-03"),
        ("2026-11-05T23:59:00Z", "2026-11-05"),
        ("2026-11-21T15:00:00.000-05:00", "2026-11-21"),
        ("2023-02-28T12:00:21.619+09:00", "2023-02-28"),
        ("2020-07-14T14:39:26.906232+00:00", "2020-07-14"),
        ("2026-11-03 08:00", "2026-11-03"),
        ("2026/11/03", "2026-11-03"),
        ("20/11/2026", "2026-11-20"),
        ("11/17/2026", "2026-11-17"),
        ("1/1/2026", "2026-01-01"),
        ("15/06/2023", "2023-06-15"),
    ])
    func readsTheDatesExportsWrite(text: String, day: String) throws {
        #expect(try ImportDate.day(text).get() == day)
    }

    @Test(arguments: ["03/04/2026", "1/05/2023", "2026-02-30", "2026-11-31T11:06:00Z", "yesterday", "2026-11-03Tnoon", "31/31/2026"])
    func refusesWhatItWouldHaveToGuess(text: String) {
        #expect(throws: ImportDate.DateError.self) { try ImportDate.day(text).get() }
    }

    @Test func instantsOrderTimesWrittenInDifferentOffsets() throws {
        let tokyo = try #require(ImportDate.instant("2026-11-18T08:00:00+09:00"))
        let utc = try #require(ImportDate.instant("2026-11-17T23:30:00Z"))
        #expect(utc - tokyo == 30 * 60)
        #expect(ImportDate.instant("1970-01-01T00:00:00Z") == 0)
        #expect(ImportDate.instant("2026-11-18T09:00:00-05:00")! - ImportDate.instant("2026-11-18T14:00:00Z")! == 0)
    }

    @Test(arguments: [
        ("2026-11-18T18:00+01", "2026-11-18T17:00:00Z"),
        ("2026-11-18T18:00:00+01", "2026-11-18T17:00:00Z"),
        ("2026-11-18T18:00:00-0930", "2026-11-19T03:30:00Z"),
        ("2026-11-18T18:00:00.250+05:45", "2026-11-18T12:15:00.25Z"),
        ("2026-11-18 18:00-03", "2026-11-18T21:00:00Z"),
        ("2026-11-18T23:59:60Z", "2026-11-19T00:00:00Z"),
    ])
    func everyOffsetFormOfISO8601OrdersAsItsUTCTime(text: String, utc: String) throws {
        // An hour-only offset was read as no time at all (0, before every statement).
        let instant = try #require(ImportDate.instant(text), "\(text) was not read")
        #expect(instant == ImportDate.instant(utc))
        #expect((try? ImportDate.day(text).get()) == String(text.prefix(10)))
    }

    @Test(arguments: [
        "2026-11-18T18:00:99Z", "2026-11-18T18:00:61Z", "2026-11-18T18:60Z", "2026-11-18T24:00Z", "2026-11-18T18:00+24", "2026-11-18T18:00+01:60",
        "2026-11-18T18:00+1", "2026-11-18T18:00+013", "2026-11-18T18:00:00.Z", "2026-11-18T18:00Z+01", "2026-11-18T18:00--01", "2026-11-18T18:00:00+01:00Z",
        "2026-11-18T18:00::00", "2026-11-18T18:0", "2026-11-18T18:00:5", "2026-11-18T18:00.5", "2026-11-18T18:00:00-",
    ])
    func aTimeThatIsNotOneIsRefusedForTheDayAndTheInstant(text: String) {
        #expect(throws: ImportDate.DateError.self, "\(text)") { try ImportDate.day(text).get() }
        #expect(ImportDate.instant(text) == nil, "\(text)")
    }
}

@Suite struct OneRosterImportTests {
    private func importGradebook(classID: String? = "03B") throws -> ImportResult {
        var context = try ImportFixtures.context()
        context.asOf = "2026-11-20"
        return OneRosterImporter(context: context, classID: classID).importFolder(at: ImportFixtures.gradebook)
    }

    @Test func importsTheClassItsStudentsAndTheirWork() throws {
        let result = try importGradebook()
        #expect(result.status == .partial)
        let document = try #require(result.documents.first)
        #expect(result.documents.count == 1)
        #expect(document.context.classInfo?.id == "03B")
        #expect(document.context.classInfo?.title == "Room 3B")
        #expect(document.context.classInfo?.staff == ["t-ortiz"])
        // The header's own class fields stay; its catalog and date are kept.
        #expect(document.context.classInfo?.extra["school"] == .string("Maple School"))
        #expect(document.context.catalog.count == 6)
        // Leading zeros kept; the one enrolled twice once; the deleted user and the guardian left out.
        #expect(document.students.map(\.id) == ["000101", "000102", "000103"])
        #expect(document.students.map(\.name) == ["Ava Reyes", "Ben Kim", "Cara Osei"])
        #expect(document.students[0].extra["oneroster"] == .object(["username": .string("ava.r"), "identifier": .string("S101"), "grades": .array([.string("03")])]))
        #expect(document.students[0].skills.map(\.id) == ["fractions", "number-sense", "sight-words"])

        let ava = document.students[0].work
        #expect(ava.map(\.id) == ["li-frac-1", "li-frac-2", "li-frac-3"])
        #expect(ava.map(\.status) == [.graded, .graded, .missing])
        #expect(ava.map(\.score) == [0.9, 0.85, nil])
        #expect(ava.map(\.due) == ["2026-11-03", "2026-11-05", "2026-11-17"])
        #expect(ava[1].extra["title"] == .string("Halves, quarters and \"wholes\":\nworksheet"))
        #expect(ava[2].extra["learning_objectives"] == .array([.string("fractions"), .string("number-sense")]))

        let ben = document.students[1].work
        #expect(ben.map(\.id) == ["li-frac-1", "li-frac-2", "li-read-1", "li-read-2"])
        // Not submitted: missing after the due date, assigned before it; the 1.2 missing flag wins.
        #expect(ben.map(\.status) == [.missing, .missing, .missing, .assigned])
        #expect(ben.map(\.due) == ["2026-11-03", "2026-11-05", "2026-11-20", "2026-11-21"])

        let cara = document.students[2].work
        #expect(cara.map(\.status) == [.exempt, .submitted])
        #expect(cara.map(\.score) == [nil, 0.4])
    }

    @Test func reportsEveryBadRowWithItsFileLineAndColumn() throws {
        let result = try importGradebook()
        #expect(ImportFixtures.places(result.faults) == [
            "enrollments.csv:9: userSourcedId",
            "enrollments.csv:10: role",
            "lineItems.csv:8: dueDate",
            "lineItems.csv:9: resultValueMax",
            "lineItemLearningObjectiveIds.csv:8: lineItemSourcedId",
            "results.csv:11: scoreStatus",
            "results.csv:12: score",
            "results.csv:13: score",
            "results.csv:14: studentSourcedId",
            "results.csv:15",
            "results.csv:17: missing",
        ])
        let messages = result.faults.map(\.message)
        #expect(messages[2] == "\"03/04/2026\" is ambiguous: day/month or month/day; write it as YYYY-MM-DD")
        #expect(messages[6] == "expected a number, got \"ten\"")
        #expect(messages[7] == "112 is outside the line item's range 0...100")
        #expect(messages[9] == "a second result for line item \"li-frac-1\" and student \"000101\", first at line 2")
        #expect(result.issues.filter { $0.severity == .warning }.map(\.description) == [
            ImportFixtures.gradebook + "/users.csv:1: prefferedGivenName: warning: read as the column preferredGivenName"
        ])
        #expect(result.counts.skipped == 11)
    }

    @Test func everyClassWhenNoneIsChosen() throws {
        let result = try importGradebook(classID: nil)
        // 03C is deleted in this export: its enrollment is ignored, not a fault.
        #expect(result.documents.map { $0.context.classInfo?.id } == ["03B"])
        #expect(result.faults.count == 11)
    }

    @Test func aDeletedOrUnknownClassIsUnusable() throws {
        var result = try importGradebook(classID: "03C")
        #expect(result.status == .unusable)
        #expect(result.faults.map(\.message) == ["the class \"03C\" is marked tobedeleted"])
        result = try importGradebook(classID: "9Z")
        #expect(result.faults.map(\.message) == ["the class \"9Z\" is not in the file"])
    }

    @Test func aMissingRequiredFileOrColumnIsReported() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "oneroster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "sourcedId,title\nc1,Class 1\n".write(to: folder.appending(path: "Classes.CSV"), atomically: true, encoding: .utf8)
        try "sourcedId,givenName\nu1,Ana\n".write(to: folder.appending(path: "users.csv"), atomically: true, encoding: .utf8)
        var result = OneRosterImporter(context: ClassContext(asOf: "2026-11-20")).importFolder(at: folder.path)
        #expect(result.status == .unusable)
        #expect(result.faults.map(\.description) == [folder.path + "/enrollments.csv: the file is missing: a OneRoster export needs enrollments.csv"])

        try "classSourcedId,user,role\nc1,u1,student\n".write(to: folder.appending(path: "enrollments.csv"), atomically: true, encoding: .utf8)
        result = OneRosterImporter(context: ClassContext(asOf: "2026-11-20")).importFolder(at: folder.path)
        #expect(result.status == .unusable)
        #expect(result.faults.map(\.description) == [folder.path + "/enrollments.csv:1: userSourcedId: the header has no column userSourcedId: the file's 1 rows are left out"])

        try "classSourcedId,userSourcedId,role\nc1,u1,student\n".write(to: folder.appending(path: "enrollments.csv"), atomically: true, encoding: .utf8)
        result = OneRosterImporter(context: ClassContext(asOf: "2026-11-20")).importFolder(at: folder.path)
        #expect(result.status == .clean)
        #expect(result.documents.first?.students.map(\.id) == ["u1"])
    }

    @Test func theImportedDocumentEvaluatesWithTheBundledRules() throws {
        let result = try importGradebook()
        let roster = try ImportFixtures.roundTrip(try #require(result.documents.first))
        #expect(roster.entries.allSatisfy { if case .student = $0 { true } else { false } })
        let report = try Engine().evaluate(roster)
        #expect(report.isClean)
        // The header's catalog gives each student a menu for the skills the gradebook names.
        for student in report.results {
            let menus = student.recommendations.filter { $0.kind == "choices" }
            #expect(menus.map(\.skill) == ["fractions", "sight-words"])
            #expect(menus.allSatisfy { $0.action == "offer" && $0.options?.count == 3 })
        }
        #expect(report.summary.recommendations == 6)
    }
}

@Suite struct XAPIImportTests {
    private func importFixtures(threshold: Double = XAPIImporter.defaultCorrectThreshold) -> ImportResult {
        XAPIImporter(context: ClassContext(asOf: "2026-11-20"), correctThreshold: threshold).importFiles(at: [ImportFixtures.xapi])
    }

    @Test func oneSessionPerStudentSkillAndDay() throws {
        let result = importFixtures()
        #expect(result.status == .partial)
        let students = try #require(result.documents.first).students
        // Students in the order first met; files in name order (lrs-answer.json first).
        #expect(students.map(\.id) == ["s-203", "s-201", "ben@example.org"])
        #expect(students.map(\.name) == ["Cara O.", "Ava R.", "Ben K."])

        let ava = try #require(students[1].skills.first)
        #expect(ava.id == "fractions")
        #expect(ava.sessions.map(\.date) == ["2026-11-16", "2026-11-17", "2026-11-18"])
        // The voided statement does not count: day three is 10 of 10.
        #expect(ava.sessions.map(\.trials) == [10, 10, 10])
        #expect(ava.sessions.map(\.correct) == [9, 9, 10])
        #expect(ava.sessions.allSatisfy { $0.promptLevel == "gestural" && $0.stage == "guided" && $0.staff == "p-lee" && $0.setting == "classroom" })

        // Scaled scores against 0.8; the skill from the activity's definition; +09:00 days as written.
        let ben = try #require(students[2].skills.first)
        #expect(ben.id == "hand-washing")
        #expect(ben.sessions.map(\.date) == ["2026-11-17", "2026-11-18"])
        #expect(ben.sessions.map(\.correct) == [3, 3])
        #expect(ben.sessions.map(\.promptLevel) == ["model", "model"])

        // An LRS answer, newest first: the session takes the latest level. Then a stored time, and
        // the two statements before a syntax error.
        let cara = try #require(students[0].skills.first)
        #expect(cara.sessions.map(\.date) == ["2026-11-18", "2026-11-19"])
        #expect(cara.sessions.map(\.trials) == [6, 3])
        #expect(cara.sessions.map(\.correct) == [5, 3])
        #expect(cara.sessions.map(\.promptLevel) == ["verbal", "verbal"])
    }

    @Test func theThresholdDecidesScaledScores() throws {
        let ben = try #require(importFixtures(threshold: 0.5).documents.first?.students.last?.skills.first)
        #expect(ben.sessions.map(\.correct) == [7, 7])
    }

    @Test func reportsEveryBadStatementWithItsFileAndLine() {
        let result = importFixtures()
        #expect(ImportFixtures.places(result.faults) == [
            "trials.ndjson:11",
            "trials.ndjson:12: context.extensions[https://trellis.example/xapi/extensions/prompt-level]",
            "trials.ndjson:13: result.success",
            "trials.ndjson:14: actor",
            "trials.ndjson:15: actor",
            "trials.ndjson:18: result.score",
            "trials.ndjson:19: timestamp",
            "truncated.json:96",
        ])
        #expect(result.faults.last?.message == "invalid JSON: unexpected end of input, expected a key; the 2 statements before it are kept, the rest of the file is left out")
        let warnings = result.issues.filter { $0.severity == .warning }
        #expect(ImportFixtures.places(warnings) == ["trials.ndjson:17: id", "lrs-answer.json:3"])
        #expect(warnings.last?.message == "s-203's statements for fractions on 2026-11-18 name 2 prompt levels (gestural, verbal): the session takes the latest, verbal")
        #expect(result.counts.read == 69)
        #expect(result.counts.skipped == 6)
        // The voiding statement, the voided one, a statement without a result, and a repeat.
        #expect(result.counts.ignored == 4)
    }

    @Test(arguments: [
        ("[]", []),
        ("   ", ["s.json: the file is empty: expected xAPI statements"]),
        ("42", ["s.json:1: expected xAPI statements (an object, an array of them, or one a line), got a number"]),
        ("[{\"actor\": {\"name\": \"A\"}, \"verb\": {\"id\": \"v\"}, \"object\": {\"id\": \"o\"}}]", []),
    ])
    func filesWithoutTrialsAreUnusable(text: String, faults: [String]) {
        let result = XAPIImporter(context: ClassContext(asOf: "2026-11-20")).importSources([("s.json", Array(text.utf8))])
        #expect(result.status == .unusable)
        #expect(result.faults.map(\.description) == faults)
    }

    @Test func aSessionTakesTheLevelOfTheLatestStatementWhateverItsOffsetForm() throws {
        // 18:00+01 is 17:00 UTC, after 09:00 UTC: its level is the session's. An hour-only offset
        // used to read as the start of 1970, so the earlier statement won.
        func statement(_ stamp: String, _ level: String) -> String {
            #"{"actor": {"account": {"homePage": "h", "name": "s-1"}}, "verb": {"id": "v"}, "object": {"id": "drill"}, "result": {"success": true}, "#
                + #""context": {"extensions": {"\#(XAPIExtension.skill)": "fractions", "\#(XAPIExtension.promptLevel)": "\#(level)"}}, "timestamp": "\#(stamp)"}"#
        }
        let text = statement("2026-11-18T18:00+01", "verbal") + "\n" + statement("2026-11-18T09:00:00Z", "model") + "\n"
        let result = XAPIImporter(context: ClassContext(asOf: "2026-11-20")).importSources([("s.ndjson", Array(text.utf8))])
        #expect(result.faults.isEmpty, "\(result.faults)")
        let session = try #require(result.documents.first?.students.first?.skills.first?.sessions.first)
        #expect(session.promptLevel == "verbal")
        #expect(session.trials == 2)
        // A time that is not one leaves the statement out, naming it.
        let bad = statement("2026-11-18T18:00:99Z", "verbal") + "\n" + statement("2026-11-18T09:00:00Z", "model") + "\n"
        let refused = XAPIImporter(context: ClassContext(asOf: "2026-11-20")).importSources([("s.ndjson", Array(bad.utf8))])
        #expect(refused.faults.map(\.description).first?.hasPrefix("s.ndjson:1: timestamp: ") == true, "\(refused.faults)")
    }

    @Test func actorsFallBackFromAccountToMailboxToName() {
        #expect(XAPIImporter.agentID(["account": .object(["homePage": .string("h"), "name": .string("s-1")]), "mbox": .string("mailto:a@b")]) == "s-1")
        #expect(XAPIImporter.agentID(["mbox": .string("mailto:a@b.org"), "name": .string("A")]) == "a@b.org")
        #expect(XAPIImporter.agentID(["mbox_sha1sum": .string("ab12"), "name": .string("A")]) == "ab12")
        #expect(XAPIImporter.agentID(["openid": .string("https://id.example/a"), "name": .string("A")]) == "https://id.example/a")
        #expect(XAPIImporter.agentID(["name": .string("A")]) == "A")
        #expect(XAPIImporter.agentID([:]) == nil)
    }

    @Test func theImportedDocumentEvaluatesWithTheBundledRules() throws {
        let roster = try ImportFixtures.roundTrip(try #require(importFixtures().documents.first))
        let report = try Engine().evaluate(roster)
        #expect(report.isClean)
        func recommendation(_ student: String, _ kind: String) -> Recommendation? {
            report.results.first { $0.student == student }?.recommendations.first { $0.kind == kind }
        }
        let fade = try #require(recommendation("s-201", "prompt"))
        #expect((fade.action, fade.from, fade.to) == ("fade", "gestural", "verbal"))
        #expect(fade.reason == "3 sessions in a row at gestural with at least 80% correct (90%, 90%, 100%)")
        let advance = try #require(recommendation("s-201", "scaffold"))
        #expect((advance.action, advance.from, advance.to) == ("advance", "guided", "collaborative"))
        let stepBack = try #require(recommendation("ben@example.org", "prompt"))
        #expect((stepBack.action, stepBack.from, stepBack.to) == ("step_back", "model", "partial_physical"))
        #expect(stepBack.reason == "2 sessions in a row at model below 50% correct (30%, 30%)")
        let hold = try #require(recommendation("s-203", "prompt"))
        #expect((hold.action, hold.from) == ("hold", "verbal"))
    }
}
