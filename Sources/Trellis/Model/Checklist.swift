/// The steps of a work item's checklist (or learning contract): how many are done, of how many.
///
/// The data contract's practice extension (section 5): `work[].checklist` is
/// `{ "done": 2, "total": 5 }`, whole numbers with `0 <= done <= total` and `total >= 1`.
public struct Checklist: Sendable, Hashable {
    /// Steps done.
    public var done: Int
    /// Steps in all; at least 1.
    public var total: Int
    /// Fields beyond the contract, handed to rules unchanged.
    public var extra: [String: JSONValue]

    public init(done: Int, total: Int, extra: [String: JSONValue] = [:]) {
        self.done = done
        self.total = total
        self.extra = extra
    }
}
