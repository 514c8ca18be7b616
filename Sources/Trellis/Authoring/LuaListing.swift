import Foundation

/// What `luac5.4 -l -p` lists for a rule file: each function's instructions with their source
/// lines. The Lua API shows only functions that exist at run time; the listing shows them all.
enum LuaListing {
    /// The listing of `source`, or nil when there is no `luac5.4` (Debian's lua5.4 package).
    static func of(source: String) throws -> String? {
        let luac = ["/usr/bin/luac5.4", "/usr/local/bin/luac5.4", "/usr/bin/luac"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let luac else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: luac)
        process.arguments = ["-l", "-p", "-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        input.fileHandleForWriting.write(Data(source.utf8))
        try input.fileHandleForWriting.close()
        let listing = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return listing
    }

    /// An instruction row's source line: rows read "\t12\t[34]\tOPCODE ...".
    static func line(of row: Substring) -> Int? {
        guard row.hasPrefix("\t"), let open = row.firstIndex(of: "["), let close = row[open...].firstIndex(of: "]") else { return nil }
        return Int(row[row.index(after: open)..<close])
    }
}
