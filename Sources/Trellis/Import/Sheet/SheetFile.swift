import Foundation

/// The sheets a file given to an import holds: each sheet of an `.xlsx` workbook, or the file
/// itself when it is CSV or TSV.
enum SheetFile {
    struct Sheet {
        var source: any SheetRowSource
        /// The sheet's name in its workbook; nil for a CSV or TSV file.
        var workbookName: String?
    }

    /// The file's sheets; nil, with a fault, when it cannot be read (a folder, a missing file, a
    /// kind of spreadsheet not read, a broken workbook).
    static func sheets(_ path: String, issues: inout IssueLog) -> [Sheet]? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            issues.fault(path, "cannot read the file")
            return nil
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") {
            do {
                let workbook = try XLSXWorkbook(path: path, displayName: path)
                return workbook.sheets.map { Sheet(source: workbook.source($0), workbookName: $0.name) }
            } catch {
                issues.fault(path, error.description.replacingOccurrences(of: "\(path): ", with: ""))
                return nil
            }
        }
        if lower.hasSuffix(".xls") || lower.hasSuffix(".ods") || lower.hasSuffix(".numbers") {
            issues.fault(path, "this kind of spreadsheet is not read: save it as .xlsx or .csv (UTF-8)")
            return nil
        }
        if DelimitedSheet.isWindowsText(path) { issues.warning(path, "not UTF-8: read as Windows-1252") }
        return [Sheet(source: DelimitedSheet(path: path, name: path), workbookName: nil)]
    }
}
