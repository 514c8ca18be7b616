import Foundation
internal import ZIPFoundation

#if canImport(FoundationXML)
internal import FoundationXML
#endif

/// An `.xlsx` workbook (Office Open XML): a ZIP archive (read by ZIPFoundation) of XML parts
/// (read by Foundation's `XMLParser`, event by event, so that a sheet's rows are handed on as
/// they are parsed and never kept as a tree).
///
/// Read: the sheets' names and order (`xl/workbook.xml` and its relationships), the shared
/// strings, the cell styles' number formats (to tell a date cell from a number), and each
/// sheet's cells: shared and inline strings, numbers, booleans, formula results, errors as
/// their text, and dates as Excel serial numbers in the 1900 or 1904 date system.
struct XLSXWorkbook {
    struct Sheet {
        var name: String
        var part: String
    }

    let path: String
    let displayName: String
    let sheets: [Sheet]
    private let archive: Archive
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private let epoch1904: Bool

    init(path: String, displayName: String) throws(SheetReadError) {
        self.path = path
        self.displayName = displayName
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw SheetReadError(description: "\(displayName): not an .xlsx workbook (it is not a ZIP archive: \(error))")
        }
        guard let workbook = try Self.part("xl/workbook.xml", in: archive, file: displayName) else {
            throw SheetReadError(description: "\(displayName): not an .xlsx workbook (no xl/workbook.xml; an .xls file from before 2007 must be saved as .xlsx)")
        }
        let relationships = try Self.part("xl/_rels/workbook.xml.rels", in: archive, file: displayName) ?? Data()
        let workbookElements = try XMLElements.collect(workbook, names: ["sheet", "workbookPr"], part: "xl/workbook.xml", file: displayName)
        let targets = Dictionary(
            try XMLElements.collect(relationships, names: ["Relationship"], part: "xl/_rels/workbook.xml.rels", file: displayName).compactMap { element -> (String, String)? in
                guard let id = element.attributes["Id"], let target = element.attributes["Target"] else { return nil }
                return (id, target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target)
            }, uniquingKeysWith: { first, _ in first })
        sheets = workbookElements.filter { $0.name == "sheet" }.compactMap { element in
            guard let name = element.attributes["name"], let id = element.attributes["r:id"] ?? element.attributes.first(where: { $0.key.hasSuffix(":id") })?.value,
                let part = targets[id]
            else { return nil }
            return Sheet(name: name, part: part)
        }
        epoch1904 = workbookElements.contains { $0.name == "workbookPr" && ["1", "true"].contains($0.attributes["date1904"] ?? "") }
        sharedStrings = try Self.part("xl/sharedStrings.xml", in: archive, file: displayName).map { data throws(SheetReadError) in try SharedStringsReader.read(data, file: displayName) } ?? []
        dateStyles = try Self.part("xl/styles.xml", in: archive, file: displayName).map { data throws(SheetReadError) in try Self.dateStyles(data, file: displayName) } ?? []
    }

    /// A sheet as a source of rows.
    func source(_ sheet: Sheet) -> any SheetRowSource {
        XLSXSheetSource(workbook: self, sheet: sheet)
    }

    fileprivate func forEachRow(of sheet: Sheet, name: String, _ body: (SheetRow) -> Bool) throws(SheetReadError) {
        guard let entry = archive[sheet.part] else {
            throw SheetReadError(description: "\(name): the workbook names the part \(sheet.part), which is not in it")
        }
        // The sheet's XML is unpacked to a temporary file and parsed from it in pieces: a sheet of
        // 100,000 rows is tens of megabytes of XML, which memory need not hold.
        let unpacked = FileManager.default.temporaryDirectory.appending(path: "trellis-sheet-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: unpacked) }
        do {
            _ = try archive.extract(entry, to: unpacked, skipCRC32: false)
        } catch {
            throw SheetReadError(description: "\(displayName): the part \(sheet.part) cannot be unpacked (\(error))")
        }
        guard let stream = InputStream(url: unpacked) else {
            throw SheetReadError(description: "\(displayName): the part \(sheet.part) cannot be read back from the temporary folder")
        }
        let failure: String? = withoutActuallyEscaping(body) { body in
            let delegate = SheetParser(sharedStrings: sharedStrings, dateStyles: dateStyles, epoch1904: epoch1904, body: body)
            return XMLParser(stream: stream).failure(parsingWith: delegate) { delegate.stopped }
        }
        if let failure { throw SheetReadError(description: "\(name): the sheet's XML cannot be read (\(failure))") }
    }

    private static func part(_ path: String, in archive: Archive, file: String) throws(SheetReadError) -> Data? {
        guard let entry = archive[path] else { return nil }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw SheetReadError(description: "\(file): the part \(path) cannot be unpacked (\(error))")
        }
        return data
    }

    /// The indexes of the cell formats (`cellXfs`) that show a number as a date.
    private static func dateStyles(_ data: Data, file: String) throws(SheetReadError) -> Set<Int> {
        let elements = try XMLElements.collect(data, names: ["numFmt", "xf", "cellXfs", "/cellXfs"], part: "xl/styles.xml", file: file)
        var customDates: Set<Int> = []
        for element in elements where element.name == "numFmt" {
            if let id = element.attributes["numFmtId"].flatMap(Int.init), let code = element.attributes["formatCode"], isDateFormat(code) { customDates.insert(id) }
        }
        var inCellFormats = false
        var index = 0
        var dates: Set<Int> = []
        for element in elements {
            switch element.name {
            case "cellXfs": inCellFormats = true
            case "/cellXfs": inCellFormats = false
            case "xf" where inCellFormats:
                let format = element.attributes["numFmtId"].flatMap(Int.init) ?? 0
                if builtInDateFormats.contains(format) || customDates.contains(format) { dates.insert(index) }
                index += 1
            default: break
            }
        }
        return dates
    }

    /// Excel's built-in formats that show dates (and times).
    private static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// Whether a custom number format shows a date: it has a day or year code outside quoted
    /// text and `[...]` sections (colours, locales).
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var previousWasEscape = false
        for character in code.lowercased() {
            defer { previousWasEscape = character == "\\" && !previousWasEscape }
            if previousWasEscape { continue }
            switch character {
            case "\"": inQuote.toggle()
            case "[" where !inQuote: inBracket = true
            case "]" where !inQuote: inBracket = false
            case "d" where !inQuote && !inBracket, "y" where !inQuote && !inBracket: return true
            default: break
            }
        }
        return false
    }
}

private struct XLSXSheetSource: SheetRowSource {
    let workbook: XLSXWorkbook
    let sheet: XLSXWorkbook.Sheet

    var name: String { "\(workbook.displayName)[\(sheet.name)]" }

    func forEachRow(_ body: (SheetRow) -> Bool) throws(SheetReadError) {
        try workbook.forEachRow(of: sheet, name: name, body)
    }
}

/// Start tags of the named elements, with their attributes, in document order (`/name` for an
/// end tag when it is asked for): enough for the small parts of a workbook.
private final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    private let names: Set<String>
    private(set) var elements: [Element] = []

    private init(names: Set<String>) {
        self.names = names
    }

    static func collect(_ data: Data, names: Set<String>, part: String, file: String) throws(SheetReadError) -> [Element] {
        let collector = XMLElements(names: names)
        let parser = XMLParser(data: data)
        if let failure = parser.failure(parsingWith: collector) { throw SheetReadError(part: part, file: file, failure) }
        return collector.elements
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        if names.contains(elementName) { elements.append(Element(name: elementName, attributes: attributes)) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if names.contains("/" + elementName) { elements.append(Element(name: "/" + elementName, attributes: [:])) }
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its rich-text runs joined, phonetic guides left out.
private final class SharedStringsReader: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current = ""
    private var inText = false
    private var inPhonetic = false

    static func read(_ data: Data, file: String) throws(SheetReadError) -> [String] {
        let reader = SharedStringsReader()
        let parser = XMLParser(data: data)
        if let failure = parser.failure(parsingWith: reader) { throw SheetReadError(part: "xl/sharedStrings.xml", file: file, failure) }
        return reader.strings
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch elementName {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch elementName {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
}

/// A worksheet's `<sheetData>`, handed on row by row.
private final class SheetParser: NSObject, XMLParserDelegate {
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private let epoch1904: Bool
    private let body: (SheetRow) -> Bool
    private(set) var stopped = false

    private var row: SheetRow?
    private var nextRowNumber = 1
    private var cellColumn = 0
    private var nextColumn = 0
    private var cellType = ""
    private var cellStyle = 0
    private var value = ""
    private var inValue = false
    private var inInlineText = false

    init(sharedStrings: [String], dateStyles: Set<Int>, epoch1904: Bool, body: @escaping (SheetRow) -> Bool) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.epoch1904 = epoch1904
        self.body = body
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch elementName {
        case "row":
            let number = attributes["r"].flatMap(Int.init) ?? nextRowNumber
            row = SheetRow(number: number, cells: [])
            nextRowNumber = number + 1
            nextColumn = 0
        case "c":
            cellColumn = attributes["r"].flatMap(Self.column) ?? nextColumn
            nextColumn = cellColumn + 1
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
        case "v": inValue = true
        case "t": inInlineText = cellType == "inlineStr"
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue || inInlineText { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch elementName {
        case "v": inValue = false
        case "t": inInlineText = false
        case "c":
            guard var current = row else { return }
            let cell = makeCell()
            if case .empty = cell { return }
            if current.cells.count <= cellColumn { current.cells += Array(repeating: .empty, count: cellColumn + 1 - current.cells.count) }
            current.cells[cellColumn] = cell
            row = current
        case "row":
            guard let current = row else { return }
            row = nil
            if !body(current) {
                stopped = true
                parser.abortParsing()
            }
        default: break
        }
    }

    private func makeCell() -> SheetCell {
        switch cellType {
        case "s":
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), sharedStrings.indices.contains(index) else { return value.isEmpty ? .empty : .text(value) }
            return .text(sharedStrings[index])
        case "inlineStr", "str", "d": return value.isEmpty ? .empty : .text(value)
        case "b": return .text(value == "1" ? "TRUE" : "FALSE")
        case "e": return .text(value)
        default:
            let text = value.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return .empty }
            guard let number = Double(text) else { return .text(text) }
            if dateStyles.contains(cellStyle) { return .date(serial: number, epoch1904: epoch1904) }
            return .number(number, text: SheetNumber.text(number))
        }
    }

    /// The 0-based column of a cell reference such as `AB12`.
    private static func column(_ reference: String) -> Int? {
        var column = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { break }
            column = column * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters > 0 ? column - 1 : nil
    }
}

extension SheetReadError {
    /// A part of the workbook that is not well-formed XML: the file is damaged, not empty.
    fileprivate init(part: String, file: String, _ failure: String) {
        self.init(description: "\(file): the part \(part) is not well-formed XML, so the workbook is damaged (\(failure)); open it and save it again, or export the sheet as CSV")
    }
}

extension XMLParser {
    /// Parses with `delegate` and says why the document was not read whole: nil when it was,
    /// or when `stoppedEarly` says the delegate stopped it on purpose.
    ///
    /// Foundation's parser on Linux accepts a document cut short (its last elements never
    /// closed) as parsed; a part cut short is a damaged workbook, so the elements are counted.
    fileprivate func failure(parsingWith delegate: any XMLParserDelegate, stoppedEarly: () -> Bool = { false }) -> String? {
        let counter = ElementBalance(forwardingTo: delegate)
        self.delegate = counter
        let parsed = parse()
        if stoppedEarly() { return nil }
        if !parsed { return "line \(lineNumber): " + (parserError.map { "\($0)" } ?? "unknown error") }
        if !counter.sawElement { return "it holds no XML element" }
        if counter.open > 0 { return "it ends at line \(lineNumber) with \(counter.open) \(counter.open == 1 ? "element" : "elements") still open: it is cut short" }
        return nil
    }
}

/// Counts the elements a parse opens and closes, handing every event on.
private final class ElementBalance: NSObject, XMLParserDelegate {
    private let inner: any XMLParserDelegate
    private(set) var open = 0
    private(set) var sawElement = false

    init(forwardingTo inner: any XMLParserDelegate) {
        self.inner = inner
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        open += 1
        sawElement = true
        inner.parser(parser, didStartElement: elementName, namespaceURI: namespaceURI, qualifiedName: qualifiedName, attributes: attributes)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open -= 1
        inner.parser(parser, didEndElement: elementName, namespaceURI: namespaceURI, qualifiedName: qualifiedName)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        inner.parser(parser, foundCharacters: string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        inner.parser(parser, foundCDATA: CDATABlock)
    }
}
