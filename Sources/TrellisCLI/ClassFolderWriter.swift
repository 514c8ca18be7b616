import Foundation

#if canImport(Glibc)
// With ZIPFoundation in the build, `stat`'s fields resolve only with the modules that may own
// them imported by name (which one does changes from one build to the next).
import CoreFoundation
import Glibc
#endif
import Trellis

/// Writes one class document per class into a folder (`trellis import oneroster -o FOLDER`): every
/// file or none, and never one class over another.
///
/// A class's file is named after its id, with every character other than a letter, a digit, `.`,
/// `-` and `_` replaced by `_` (and a leading `.` too, so that no file is hidden). Two ids can then
/// name the same file (`3/B` and `3_B`), or names that differ only in case, which are one file on a
/// disk that ignores case: each class of such a group gets the name with a dash and eight hex
/// digits of a hash of its exact id (`3_B-5f1c2a9e.json`), the same on every run, and the
/// collision is reported.
enum ClassFolderWriter {
    /// The file name for each id, in order, and the groups of ids whose plain names collided.
    static func fileNames(for ids: [String]) -> (names: [String], collisions: [(plain: String, ids: [String], names: [String])]) {
        let plain = ids.map(plainName)
        var groups: [String: [Int]] = [:]
        for (index, name) in plain.enumerated() { groups[name.lowercased(), default: []].append(index) }
        var names = plain
        var collisions: [(plain: String, ids: [String], names: [String])] = []
        for (index, name) in plain.enumerated() {
            guard let group = groups[name.lowercased()], group.count > 1 else { continue }
            names[index] = String(name.dropLast(".json".count)) + "-" + hash(ids[index]) + ".json"
            if group.first == index {
                collisions.append((plain: name, ids: group.map { ids[$0] }, names: []))
            }
        }
        for position in collisions.indices {
            let members = groups[collisions[position].plain.lowercased()] ?? []
            collisions[position].names = members.map { names[$0] }
        }
        return (names, collisions)
    }

    /// `3/B` -> `3_B.json`; at most 200 characters before `.json`.
    static func plainName(for id: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        var safe = String(id.map { allowed.contains($0) ? $0 : "_" }.prefix(200))
        if safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
        return (safe.isEmpty ? "_" : safe) + ".json"
    }

    /// Eight hex digits of a hash (FNV-1a, mixed) of the id's UTF-8: stable across runs and machines.
    static func hash(_ id: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        // MurmurHash3's finalizer: ids a letter apart get names that look apart.
        value ^= value >> 33
        value = value &* 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        let folded = UInt32(truncatingIfNeeded: value ^ (value >> 32))
        let hex = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// A file that could not be written, and why.
    struct Failure: Error {
        var message: String
    }

    /// Writes `files` into `folder`: first all of them into a hidden folder inside it, then each
    /// renamed into place. A file that cannot be written (a folder in the way, a full disk) leaves
    /// the folder as it was.
    static func write(_ files: [(name: String, text: String)], into folder: String) throws(Failure) {
        let targets = files.map { (folder as NSString).appendingPathComponent($0.name) }
        let lowered = Set(files.map { $0.name.lowercased() })
        guard lowered.count == files.count else {
            throw Failure(message: "cannot write the classes into \(folder): two of them would share a file name")
        }
        for target in targets {
            var status = stat()
            if lstat(target, &status) == 0, status.st_mode & S_IFMT != S_IFREG, status.st_mode & S_IFMT != S_IFLNK {
                throw Failure(message: "cannot write \(target): " + FileProblem.reason(writing: target, POSIXError(.EISDIR)))
            }
        }
        var template = Array((folder as NSString).appendingPathComponent(".trellis-import-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Failure(message: "cannot write into \(folder): \(String(cString: strerror(errno)))")
        }
        let staging = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        for file in files {
            let path = (staging as NSString).appendingPathComponent(file.name)
            do {
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw Failure(message: "cannot write \((folder as NSString).appendingPathComponent(file.name)): \(FileProblem.systemReason(error))")
            }
        }
        for (file, target) in zip(files, targets) {
            guard rename((staging as NSString).appendingPathComponent(file.name), target) == 0 else {
                throw Failure(message: "cannot write \(target): \(String(cString: strerror(errno)))")
            }
        }
    }
}
