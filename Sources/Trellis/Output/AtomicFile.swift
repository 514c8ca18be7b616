/// Writes a file whole or not at all (see ``AtomicFileSink``, whose modes and errors it has).
package enum AtomicFile {
    package static func write(_ text: String, to path: String) throws {
        let sink = try AtomicFileSink(path: path)
        try sink.write(text)
        try sink.commit()
    }
}
