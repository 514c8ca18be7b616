import Foundation
import Testing
import ZIPFoundation
@testable import Trellis

/// `trellis import sheet` on sheets laid out as schools keep them: a title row, mixed header
/// case, "Student Name", blank rows, a totals row, Excel dates, a tally column, a US date in
/// one row. The decisions on the imported sheet must equal those on the same data written
/// directly as a class document, and the bad cell must leave only its skill undecided.
struct SheetImportTests {
    static let folder = ImportFixtures.folder.appending(path: "sheet")
    static let csv = folder.appending(path: "sessions.csv").path
    static let xlsx = folder.appending(path: "sessions.xlsx").path
    static let direct = folder.appending(path: "sessions-direct.json").path
    static let context = ClassContext(asOf: "2026-11-20")

    /// Each winning prompt or scaffold decision as `student/skill: action -> to`.
    static func decisions(_ report: EvaluationReport) -> [String: String] {
        var decisions: [String: String] = [:]
        for result in report.results {
            for recommendation in result.recommendations where ["prompt", "scaffold"].contains(recommendation.kind) {
                decisions["\(result.student)/\(recommendation.skill ?? "")"] = "\(recommendation.action) -> \(recommendation.to ?? "")"
            }
        }
        return decisions
    }

    static func evaluate(_ document: ClassDocument) throws -> EvaluationReport {
        // Through the text, as `trellis evaluate` reads what `import` wrote.
        let roster = try RosterReader.read(Array(DocumentJSON.document(document).utf8), sourceName: "imported.json")
        return try Engine().evaluate(roster)
    }

    static func directReport() throws -> EvaluationReport {
        let roster = try RosterReader.read(Array(try Data(contentsOf: URL(fileURLWithPath: direct))), sourceName: "direct.json")
        return try Engine().evaluate(roster)
    }

    @Test(arguments: [csv, xlsx])
    func aSchoolsSheetDecidesAsTheSameDataWrittenDirectly(file: String) throws {
        let result = SheetImporter(context: Self.context).importFiles([file])
        #expect(result.status == .partial)
        let document = try #require(result.documents.first)
        #expect(document.students.map(\.id) == ["s-101", "s-102", "s-103"])
        #expect(document.students.map(\.name) == ["Ava R.", "Ben K.", "Cara M."])
        // The tally counts as trials and correct.
        let ava = document.students[0]
        #expect(ava.skills[0].sessions.map(\.trials) == [10, 10, 10])
        #expect(ava.skills[0].sessions.map(\.correct) == [9, 9, 10])
        #expect(ava.skills[0].sessions.map(\.promptLevel) == ["gestural", "gestural", "gestural"])
        #expect(document.students[2].skills[0].sessions.map(\.correct) == [2, 1])

        let imported = try Self.evaluate(document)
        let direct = try Self.directReport()
        var expected = Self.decisions(direct)
        // Ben's zipping lost a row (its date is 11/17/2026): undecided on import, not decided on a hole.
        #expect(expected.removeValue(forKey: "s-102/zipping") != nil)
        #expect(Self.decisions(imported) == expected)
        #expect(expected["s-101/hand-washing"] == "fade -> verbal")
        #expect(expected["s-101/sight-words"] == "step_back -> partial_physical")
        let ben = try #require(imported.results.first { $0.student == "s-102" })
        let undecided = ben.errors.filter { $0.kind == .undecidedSkill }
        #expect(undecided.map(\.skill) == ["zipping"])
        let place = (file == Self.csv ? Self.csv : Self.xlsx + "[Sessions]") + ":11:A"
        #expect(undecided.first?.location == place)
        #expect(undecided.first?.message.contains("11/17/2026") == true)
        #expect(ben.recommendations.contains { $0.skill == "coat-hanging" && $0.kind == "prompt" })
    }

    @Test(arguments: [csv, xlsx])
    func everyBadRowBlankRowAndTotalsRowIsSaid(file: String) throws {
        let result = SheetImporter(context: Self.context).importFiles([file])
        let name = file == Self.csv ? file : file + "[Sessions]"
        let faults = result.faults.map(\.description)
        #expect(faults.count == 1)
        #expect(faults.first?.hasPrefix("\(name):11:A: date: \"11/17/2026\" is a date with the day and month in an order the sheet does not say: give --date-order mdy") == true, "\(faults)")
        let warnings = result.issues.filter { $0.severity == .warning }.map(\.description)
        #expect(warnings.contains("\(name):18: warning: a totals row (\"TOTAL\"), skipped"), "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("\(name): warning: 3 blank rows skipped (8, 14, 17)") } || file == Self.xlsx, "\(warnings)")
        let ben = try #require(result.documents.first?.students.first { $0.id == "s-102" })
        #expect(ben.incomplete.map(\.skill) == ["zipping"])
        #expect(ben.incomplete.first?.text == "11/17/2026")
    }

    @Test func theSpillGivesBackEverySessionAsItWasWritten() throws {
        let spill = try SessionSpill()
        let full = PendingSession(
            session: Session(
                date: "2026-11-17", trials: 10, correct: 9, independent: 0, setting: "café 3B", staff: "p-lee",
                extra: ["delay": .number(-2.5), "probe": .bool(true), "notes": .string("a \"note\"\nover two lines ✓")]),
            promptText: "Gestural", promptPlace: CellPlace(file: "s.xlsx[Sessions]", row: 70_000, column: "AB", header: "Prompt Level"),
            stageText: "We do", stagePlace: CellPlace(file: "s.csv", row: 2, column: "F", header: ""))
        let bare = PendingSession(session: Session())
        var offsets: [Int] = []
        // Enough records to fill the write buffer several times; reads between writes too.
        for index in 0..<5_000 {
            offsets.append(try spill.append(index % 3 == 0 ? bare : full))
            if index % 997 == 0 { #expect(try spill.session(at: offsets[index / 2]) == (index / 2 % 3 == 0 ? bare : full)) }
        }
        for (index, offset) in offsets.enumerated().reversed() {
            #expect(try spill.session(at: offset) == (index % 3 == 0 ? bare : full))
        }
    }

    /// The fixture workbook with some of its parts replaced (nil: removed) and others added.
    static func workbook(_ changes: [String: String?], name: String) throws -> URL {
        let source = try Archive(url: URL(fileURLWithPath: xlsx), accessMode: .read)
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appending(path: name)
        let archive = try Archive(url: target, accessMode: .create)
        var parts: [(String, Data)] = []
        for entry in source {
            var data = Data()
            _ = try source.extract(entry) { data.append($0) }
            parts.append((entry.path, data))
        }
        for (path, text) in changes where !parts.contains(where: { $0.0 == path }) { parts.append((path, Data((text ?? "").utf8))) }
        for (path, original) in parts {
            if let change = changes[path], change == nil { continue }
            let data = changes[path].flatMap { $0 }.map { Data($0.utf8) } ?? original
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return target
    }

    static func part(_ path: String) throws -> String {
        let archive = try Archive(url: URL(fileURLWithPath: xlsx), accessMode: .read)
        var data = Data()
        _ = try archive.extract(try #require(archive[path])) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func sharedStringsReadAsInlineStringsDo() throws {
        // Excel keeps a workbook's text in xl/sharedStrings.xml, cells pointing into it by index;
        // the fixture writes its text inline. The same sheet both ways must import the same.
        var sheet = try Self.part("xl/worksheets/sheet1.xml")
        var strings: [String] = []
        let inline = try Regex(#"<c r="([A-Z]+[0-9]+)"([^>]*) t="inlineStr"><is><t>([^<]*)</t></is></c>"#)
        sheet = sheet.replacing(inline) { match in
            let text = String(match.output[3].substring ?? "")
            let index = strings.firstIndex(of: text) ?? { strings.append(text); return strings.count - 1 }()
            return #"<c r="\#(match.output[1].substring ?? "")"\#(match.output[2].substring ?? "") t="s"><v>\#(index)</v></c>"#
        }
        #expect(strings.count > 20)
        #expect(!sheet.contains("inlineStr"))
        // Rich text: a header in two runs, with a phonetic guide that is not part of its text.
        let items = strings.map { text -> String in
            if text == "Student ID" { return "<si><r><rPr><b/></rPr><t>Student </t></r><r><t>ID</t></r><rPh sb=\"0\" eb=\"1\"><t>ガクセイ</t></rPh></si>" }
            return "<si><t xml:space=\"preserve\">\(text.replacingOccurrences(of: "&", with: "&amp;"))</t></si>"
        }
        let table = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(strings.count)" uniqueCount="\#(strings.count)">"#
            + items.joined() + "</sst>"
        let shared = try Self.workbook(["xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": table], name: "sessions.xlsx")
        defer { try? FileManager.default.removeItem(at: shared.deletingLastPathComponent()) }
        let expected = SheetImporter(context: Self.context).importFiles([Self.xlsx])
        let result = SheetImporter(context: Self.context).importFiles([shared.path])
        // The same document, the cells' places aside (the copy is in another folder).
        let text = try DocumentJSON.document(#require(result.documents.first)).replacingOccurrences(of: shared.path, with: Self.xlsx)
        #expect(text == DocumentJSON.document(try #require(expected.documents.first)))
        #expect(result.issues.map(\.message) == expected.issues.map(\.message))
        #expect(result.documents.first?.students.map(\.name) == ["Ava R.", "Ben K.", "Cara M."])
    }

    @Test(arguments: [
        ("xl/sharedStrings.xml", "the part xl/sharedStrings.xml is not well-formed XML, so the workbook is damaged"),
        ("xl/styles.xml", "the part xl/styles.xml is not well-formed XML, so the workbook is damaged"),
        ("xl/workbook.xml", "the part xl/workbook.xml is not well-formed XML, so the workbook is damaged"),
        ("xl/worksheets/sheet1.xml", "sessions.xlsx[Sessions]: the sheet's XML cannot be read"),
    ])
    func aDamagedPartIsAFaultNotAnEmptySheet(part: String, message: String) throws {
        // A part cut short, as a workbook copied off a full USB stick may be.
        let text = part == "xl/sharedStrings.xml" ? #"<?xml version="1.0"?><sst><si><t>Stud"# : String(try Self.part(part).prefix(300))
        let damaged = try Self.workbook([part: text], name: "sessions.xlsx")
        defer { try? FileManager.default.removeItem(at: damaged.deletingLastPathComponent()) }
        let result = SheetImporter(context: Self.context).importFiles([damaged.path])
        let faults = result.faults.map(\.description)
        #expect(faults.contains { $0.contains(message) }, "\(faults)")
        if part != "xl/worksheets/sheet1.xml" { #expect(result.status == .unusable) }
    }

    @Test func withTheDateOrderTheUSDateIsRead() throws {
        let result = SheetImporter(context: Self.context, dateOrder: .mdy).importFiles([Self.csv])
        #expect(result.status == .clean, "\(result.issues)")
        let ben = try #require(result.documents.first?.students.first { $0.id == "s-102" })
        #expect(ben.skills[0].sessions.map(\.date) == ["2026-11-12", "2026-11-16", "2026-11-17"])
        #expect(ben.incomplete.isEmpty)
    }

    @Test func aWorkbooksWorkSheetIsReadAndItsNotesSheetSkipped() throws {
        let result = SheetImporter(context: Self.context).importFiles([Self.xlsx])
        let students = try #require(result.documents.first?.students)
        let ava = try #require(students.first { $0.id == "s-101" })
        #expect(ava.work.map(\.id) == ["sight-words-wk46"])
        #expect(ava.work.first?.status == .submitted)
        #expect(ava.work.first?.score == 0.8)
        #expect(ava.work.first?.due == "2026-11-13")
        #expect(students.first { $0.id == "s-102" }?.work.first?.status == .missing)
        #expect(result.issues.contains { $0.severity == .warning && $0.file == Self.xlsx + "[Notes]" })
    }

    @Test func aMapNamesColumnsValuesAndTheLadder() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-sheet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sheet = folder.appending(path: "aba.tsv")
        try """
            Learner #\tProgram\tTarget\tPrompt Code\tTrial Data\tDate
            L-7\tManding\tjuice\tFP\t+ - - -\t17/11/2026
            L-7\tManding\tjuice\tPP\t+ + - +\t18/11/2026
            L-7\tManding\tjuice\tQ\t+ + + +\t19/11/2026
            """.write(to: sheet, atomically: true, encoding: .utf8)
        let map = try SheetMap(
            yaml: """
                columns:
                  student_id: "Learner #"
                values:
                  prompt_level: { FP: hoh, PP: hoh-light, I: indep }
                ladders:
                  prompt: [hoh, hoh-light, indep]
                tally: { correct: ["+"], incorrect: ["-"] }
                date_order: dmy
                """, fileName: "map.yaml")
        let result = SheetImporter(context: Self.context, map: map).importFiles([sheet.path])
        let document = try #require(result.documents.first)
        #expect(document.context.ladders.prompt == ["hoh", "hoh-light", "indep"])
        let student = try #require(document.students.first)
        #expect(student.id == "L-7")
        #expect(student.skills.map(\.id) == ["Manding: juice"])
        #expect(student.skills[0].sessions.map(\.promptLevel) == ["hoh", "hoh-light"])
        #expect(student.skills[0].sessions.map(\.date) == ["2026-11-17", "2026-11-18"])
        #expect(result.faults.map(\.description) == [
            "\(sheet.path):4:D: Prompt Code: \"Q\" is not on the prompt ladder (hoh, hoh-light, indep; a map's values.prompt_level or ladders.prompt names others)"
        ])
        #expect(student.incomplete.map(\.location) == ["\(sheet.path):4:D"])
    }

    @Test func aMapsMistakesNameTheirLines() {
        #expect(throws: YAMLFileError.self) {
            try SheetMap(yaml: "columns:\n  pupil: Name\ndate_order: ymd\n", fileName: "map.yaml")
        }
        do {
            _ = try SheetMap(yaml: "columns:\n  pupil: Name\ndate_order: ymd\n", fileName: "map.yaml")
        } catch {
            #expect(error.issues.count == 2)
            #expect(error.issues.first?.hasPrefix("map.yaml:2:") == true, "\(error.issues)")
        }
    }

    @Test func knownLaddersAreRecognisedWithoutAMap() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "trellis-sheet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sheet = folder.appending(path: "maple.csv")
        try "Student,Skill,Prompt,Trials,Correct,Date\nk-01,snack-prep,HOH,8,7,2026-11-09\nk-01,snack-prep,Hand over hand,8,8,2026-11-12\n"
            .write(to: sheet, atomically: true, encoding: .utf8)
        let result = SheetImporter(context: Self.context).importFiles([sheet.path])
        let document = try #require(result.documents.first)
        #expect(document.context.ladders.prompt == ["hand_over_hand", "model", "verbal", "independent"])
        #expect(document.students.first?.skills.first?.sessions.map(\.promptLevel) == ["hand_over_hand", "hand_over_hand"])
        #expect(result.faults.isEmpty)
    }

    @Test func excelSerialDates() {
        #expect(SheetDate.day(serial: 46343, epoch1904: false) == "2026-11-17")
        #expect(SheetDate.day(serial: 1, epoch1904: false) == "1900-01-01")
        #expect(SheetDate.day(serial: 61, epoch1904: false) == "1900-03-01")
        #expect(SheetDate.day(serial: 60, epoch1904: false) == nil)
        #expect(SheetDate.day(serial: 0, epoch1904: true) == "1904-01-01")
        #expect(SheetDate.day(serial: 46343.75, epoch1904: false) == "2026-11-17")
    }

    @Test(arguments: [
        ("2026-11-17", nil, "2026-11-17"), ("2026/11/17", nil, "2026-11-17"), ("17 Nov 2026", nil, "2026-11-17"), ("Nov 17, 2026", nil, "2026-11-17"),
        ("11/17/2026", SheetDateOrder.mdy, "2026-11-17"), ("17/11/2026", .dmy, "2026-11-17"), ("17.11.26", .dmy, "2026-11-17"),
    ] as [(String, SheetDateOrder?, String)])
    func datesAsSheetsWriteThem(text: String, order: SheetDateOrder?, day: String) throws {
        #expect(try SheetDate.day(text, order: order).get() == day)
    }

    @Test func slashedDatesAreNeverGuessed() {
        #expect(throws: SheetValueError.self) { try SheetDate.day("03/04/2026", order: nil).get() }
        #expect(throws: SheetValueError.self) { try SheetDate.day("11/17/2026", order: .dmy).get() }
    }

    @Test func tallies() throws {
        let tally = SheetTally()
        #expect(try tally.count("+ + - +").get()! == (4, 3))
        #expect(try tally.count("++-+").get()! == (4, 3))
        #expect(try tally.count("✓✗✓").get()! == (3, 2))
        #expect(throws: SheetValueError.self) { try tally.count("+ ? -").get() }
    }
}
