/// What a rule file declares about itself, read once when the pack loads.
public struct RuleDefinition: Sendable, Hashable {
    public var id: String
    /// The file the rule came from.
    public var path: String
    public var description: String?
    /// Higher wins a conflict for the same student, skill and kind.
    public var priority: Double
    /// The rule API version the rule is written for.
    public var api: Int
    public var parameters: [RuleParameter]
    /// Whether the rule also has `evaluate_class`.
    public var evaluatesClass: Bool
    /// Whether the rule declares `reads_results = true`: its `evaluate` runs after the student's
    /// other rules and receives their winning recommendations as a third argument.
    public var readsResults: Bool

    public init(
        id: String, path: String, description: String? = nil, priority: Double = 0, api: Int = 1, parameters: [RuleParameter] = [], evaluatesClass: Bool = false,
        readsResults: Bool = false
    ) {
        self.id = id
        self.path = path
        self.description = description
        self.priority = priority
        self.api = api
        self.parameters = parameters
        self.evaluatesClass = evaluatesClass
        self.readsResults = readsResults
    }
}
