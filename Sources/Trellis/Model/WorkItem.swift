/// A piece of assigned work and where it stands.
public struct WorkItem: Sendable, Hashable {
    /// The contract's work statuses.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case assigned, submitted, graded, missing, exempt
    }

    public var id: String?
    public var skill: String?
    public var status: Status?
    /// 0...1 when graded.
    public var score: Double?
    /// `YYYY-MM-DD`.
    public var due: String?
    public var modality: String?
    /// The steps of its checklist or learning contract done and in all (contract section 5).
    public var checklist: Checklist?
    /// Fields beyond the contract, handed to rules unchanged.
    public var extra: [String: JSONValue]

    public init(
        id: String? = nil, skill: String? = nil, status: Status? = nil, score: Double? = nil, due: String? = nil, modality: String? = nil,
        checklist: Checklist? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.skill = skill
        self.status = status
        self.score = score
        self.due = due
        self.modality = modality
        self.checklist = checklist
        self.extra = extra
    }
}

/// A student's own rating of a skill.
public struct SelfAssessment: Sendable, Hashable {
    /// The contract's traffic-light ratings.
    public enum Rating: String, Sendable, Hashable, CaseIterable {
        case green, yellow, red
    }

    public var date: String?
    public var skill: String?
    public var rating: Rating?
    /// Fields beyond the contract, handed to rules unchanged.
    public var extra: [String: JSONValue]

    public init(date: String? = nil, skill: String? = nil, rating: Rating? = nil, extra: [String: JSONValue] = [:]) {
        self.date = date
        self.skill = skill
        self.rating = rating
        self.extra = extra
    }
}
