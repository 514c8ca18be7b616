/// An input, a rule pack or a configuration that cannot be used at all, with every problem found.
///
/// Each problem is a ``TrellisIssue``: its ``TrellisIssue/kind`` says what could not be used
/// (``TrellisIssue/Kind/invalidInput``, ``TrellisIssue/Kind/invalidRule`` or
/// ``TrellisIssue/Kind/invalidConfiguration``), its location the file:line or line:column, its
/// path the field. Programs read those fields; people read ``description``, one issue a line.
public struct TrellisError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, each with its location.
    public var issues: [TrellisIssue]

    public init(issues: [TrellisIssue]) {
        self.issues = issues
    }

    /// One problem of `kind`.
    init(_ kind: TrellisIssue.Kind, _ message: String, location: String? = nil, path: String? = nil) {
        self.issues = [TrellisIssue(kind: kind, message: message, location: location, path: path)]
    }

    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
