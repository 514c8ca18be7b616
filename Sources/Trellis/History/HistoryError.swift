/// A history file (`--history FILE`) that cannot be used, with the file's name in every message.
package struct HistoryError: Error, Sendable, CustomStringConvertible {
    /// The history file.
    package var path: String
    /// What is wrong, in words a user acts on.
    package var message: String

    init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `FILE: message`.
    package var description: String { TerminalText.escaped("\(path): \(message)") }
}
