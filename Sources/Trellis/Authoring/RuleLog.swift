import Synchronization

/// Keeps what rules pass to `ctx.log(...)`, for the rule author: `trellis test` and
/// `trellis explain` show it. An engine without one (every evaluation, report and server answer)
/// makes `ctx.log` do nothing, so a rule's debugging output never reaches a report.
///
/// Shared by the Lua states of an engine; a rule call keeps at most 100 messages of up to 2,000
/// bytes each.
public final class RuleLog: Sendable {
    /// One call of `ctx.log`: its arguments as `print` would show them, joined by spaces.
    public struct Message: Sendable, Hashable {
        /// The id of the rule that logged it.
        public var rule: String
        /// The student the rule was evaluating; nil for `evaluate_class`.
        public var student: String?
        public var text: String

        public init(rule: String, student: String?, text: String) {
            self.rule = rule
            self.student = student
            self.text = text
        }
    }

    private let messages = Mutex<[Message]>([])

    public init() {}

    func append(_ message: Message) {
        messages.withLock { $0.append(message) }
    }

    /// The messages kept since the last call, in the order the rules logged them; they are then
    /// forgotten.
    public func take() -> [Message] {
        messages.withLock { messages in
            defer { messages = [] }
            return messages
        }
    }
}
