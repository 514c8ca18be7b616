import Foundation
internal import ZIPFoundation

/// A OneRoster export as it arrives: a `.zip` of the CSV files, read as the folder is.
///
/// The `.csv` files of the folder in the archive that holds `classes.csv` (the archive's root,
/// or one folder down, as some systems pack it) are unpacked by ZIPFoundation into a temporary
/// folder, which is removed after; issues name them as `export.zip/users.csv`. Only those files
/// are written, each under its own name, so no entry can reach outside the temporary folder.
enum OneRosterArchive {
    /// The most an archive may unpack to: an export of a district's users is well under this,
    /// and a ZIP bomb is stopped before it fills the disk.
    static let maximumUnpackedBytes: UInt64 = 2 << 30

    static func importArchive(at path: String, with importer: OneRosterImporter) -> ImportResult {
        let temporary = FileManager.default.temporaryDirectory.appending(path: "trellis-oneroster-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        func unusable(_ message: String) -> ImportResult {
            ImportResult(documents: [], issues: [ImportIssue(file: path, message: message)], counts: ImportCounts())
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            return unusable("cannot read the file as a ZIP archive (\(error))")
        }
        let entries = archive.filter { $0.type == .file && $0.path.lowercased().hasSuffix(".csv") && !$0.path.contains("__MACOSX") }
        let folders = Set(entries.map { ($0.path as NSString).deletingLastPathComponent })
        guard let folder = folders.filter({ folder in entries.contains { ($0.path as NSString).deletingLastPathComponent == folder && ($0.path as NSString).lastPathComponent.lowercased() == "classes.csv" } })
            .min(by: { $0.count < $1.count })
        else { return unusable("the archive has no classes.csv: a OneRoster export needs classes.csv, users.csv and enrollments.csv") }
        let chosen = entries.filter { ($0.path as NSString).deletingLastPathComponent == folder }
        let total = chosen.reduce(UInt64(0)) { $0 + $1.uncompressedSize }
        guard total <= maximumUnpackedBytes else {
            return unusable("the archive's CSV files would unpack to \(total / (1 << 20)) MB, more than \(maximumUnpackedBytes / (1 << 20)) MB")
        }
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            for entry in chosen {
                let name = (entry.path as NSString).lastPathComponent
                _ = try archive.extract(entry, to: temporary.appending(path: name), skipCRC32: false)
            }
        } catch {
            return unusable("cannot unpack the archive (\(error))")
        }
        var result = importer.importFolder(at: temporary.path)
        let shown = folder.isEmpty ? path : "\(path)/\(folder)"
        for index in result.issues.indices {
            result.issues[index].file = result.issues[index].file.replacingOccurrences(of: temporary.path, with: shown)
        }
        return result
    }
}
