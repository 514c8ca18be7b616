import Foundation

/// The history file on disk: created readable and writable by its owner only, since it holds
/// students' records and recommendations.
enum HistoryFile {
    /// The permission bits a new history file gets.
    static let mode: mode_t = 0o600

    /// Creates `path` with mode 0600 when nothing is there, before SQLite opens it (SQLite would
    /// create it 0644 under the usual umask). Returns a warning when the file was there already
    /// and others than its owner may read or write it; the file is used as it is, since its
    /// owner may have widened it on purpose, but they are told each time.
    static func prepare(_ path: String) throws(HistoryError) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        if descriptor >= 0 {
            // The umask can only take bits away; fchmod makes the mode exactly 0600 all the same.
            fchmod(descriptor, mode)
            close(descriptor)
            return nil
        }
        let creation = errno
        guard creation == EEXIST else { throw HistoryError(path: path, "cannot create the history file: \(String(cString: strerror(creation)))") }
        var status = stat()
        guard stat(path, &status) == 0 else { throw HistoryError(path: path, "cannot read the history file: \(String(cString: strerror(errno)))") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw HistoryError(path: path, "is not a regular file: a history file is a SQLite database") }
        let permissions = status.st_mode & 0o777
        guard permissions & 0o077 != 0 else { return nil }
        return "\(path): warning: the history file holds students' records and is open to "
            + (permissions & 0o007 != 0 ? "every user" : "its group") + " (mode \(String(permissions, radix: 8))); "
            + "make it private with: chmod 600 \(path)"
    }
}
