/// What a rule recommends for one student and skill.
public struct Recommendation: Sendable, Hashable {
    /// The skill it is about; nil for a recommendation about the student as a whole.
    public var skill: String?
    /// `prompt`, `scaffold`, `choices`, or a custom rule's own kind.
    public var kind: String
    /// For `prompt`: `fade`, `step_back`, `hold`, `mastered`; for `scaffold`: `advance`,
    /// `step_back`, `hold`, `mastered`; for `choices`: `offer`.
    public var action: String
    /// The level or stage the student is at.
    public var from: String?
    /// The level or stage to move to.
    public var to: String?
    /// The menu, for `choices`.
    public var options: [MenuOption]?
    /// The id of the rule that made it.
    public var rule: String
    /// Higher wins when two rules recommend for the same student, skill and kind.
    public var priority: Double
    /// Why, in words a teacher reads.
    public var reason: String
    /// The numbers the rule used, for reports.
    public var evidence: JSONValue?
    /// Further fields a custom rule returns, passed through to the output.
    public var extra: [String: JSONValue]

    public init(
        skill: String?, kind: String, action: String, from: String? = nil, to: String? = nil, options: [MenuOption]? = nil,
        rule: String, priority: Double, reason: String, evidence: JSONValue? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.skill = skill
        self.kind = kind
        self.action = action
        self.from = from
        self.to = to
        self.options = options
        self.rule = rule
        self.priority = priority
        self.reason = reason
        self.evidence = evidence
        self.extra = extra
    }
}

/// One choice in a menu: a catalog item.
public struct MenuOption: Sendable, Hashable {
    public var id: String
    public var title: String?
    public var modality: String?

    public init(id: String, title: String? = nil, modality: String? = nil) {
        self.id = id
        self.title = title
        self.modality = modality
    }
}

/// A recommendation that lost to another for the same student, skill and kind.
public struct OverriddenRecommendation: Sendable, Hashable {
    public var recommendation: Recommendation
    /// The rule whose recommendation won.
    public var overriddenBy: String

    public init(recommendation: Recommendation, overriddenBy: String) {
        self.recommendation = recommendation
        self.overriddenBy = overriddenBy
    }
}

/// A rule's word that it decided nothing for a skill, and why (for example a missing field).
public struct RuleNote: Sendable, Hashable {
    public var rule: String
    public var skill: String?
    public var message: String

    public init(rule: String, skill: String?, message: String) {
        self.rule = rule
        self.skill = skill
        self.message = message
    }
}
