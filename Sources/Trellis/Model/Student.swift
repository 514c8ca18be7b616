/// One student's record, as validated input.
public struct Student: Sendable, Hashable {
    /// Unique within a run.
    public var id: String
    public var name: String?
    /// Flags such as `iep`, or `no_badges` (the student or family opted out of badges).
    public var flags: [String]
    /// Preferred modalities, most preferred first.
    public var preferredModalities: [String]
    public var skills: [Skill]
    public var work: [WorkItem]
    public var selfAssessments: [SelfAssessment]
    /// Fields beyond the contract, handed to rules unchanged.
    public var extra: [String: JSONValue]
    /// Fields of `preferences` beyond `modalities`.
    public var preferenceExtra: [String: JSONValue]
    /// Skills whose data has a hole (a bad row, or rows lost on import): not decided.
    public var incomplete: [IncompleteSkill]

    public init(
        id: String, name: String? = nil, flags: [String] = [], preferredModalities: [String] = [],
        skills: [Skill] = [], work: [WorkItem] = [], selfAssessments: [SelfAssessment] = [],
        extra: [String: JSONValue] = [:], preferenceExtra: [String: JSONValue] = [:], incomplete: [IncompleteSkill] = []
    ) {
        self.id = id
        self.name = name
        self.flags = flags
        self.preferredModalities = preferredModalities
        self.skills = skills
        self.work = work
        self.selfAssessments = selfAssessments
        self.extra = extra
        self.preferenceExtra = preferenceExtra
        self.incomplete = incomplete
    }
}

/// A skill the student is working on, with its session history.
public struct Skill: Sendable, Hashable {
    public var id: String
    /// `adaptive`, `academic`... (free text).
    public var domain: String?
    /// The current prompt level when recorded; otherwise the newest session's counts.
    public var promptLevel: String?
    /// The current stage when recorded; otherwise the newest session's counts.
    public var stage: String?
    /// Oldest first.
    public var sessions: [Session]
    /// The badge the student already holds for the skill (contract section 5).
    public var badge: Badge?
    /// Fields beyond the contract, handed to rules unchanged.
    public var extra: [String: JSONValue]

    public init(
        id: String, domain: String? = nil, promptLevel: String? = nil, stage: String? = nil, sessions: [Session] = [], badge: Badge? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.domain = domain
        self.promptLevel = promptLevel
        self.stage = stage
        self.sessions = sessions
        self.badge = badge
        self.extra = extra
    }
}

/// One teaching session of a skill.
public struct Session: Sendable, Hashable {
    /// `YYYY-MM-DD`, or an ISO 8601 date and time.
    public var date: String?
    public var promptLevel: String?
    public var stage: String?
    public var trials: Int?
    /// Trials done correctly; never more than `trials`.
    public var correct: Int?
    /// Trials done without a prompt; never more than `trials`.
    public var independent: Int?
    public var setting: String?
    public var staff: String?
    /// Fields beyond the contract, handed to rules unchanged.
    public var extra: [String: JSONValue]

    public init(
        date: String? = nil, promptLevel: String? = nil, stage: String? = nil, trials: Int? = nil, correct: Int? = nil,
        independent: Int? = nil, setting: String? = nil, staff: String? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.date = date
        self.promptLevel = promptLevel
        self.stage = stage
        self.trials = trials
        self.correct = correct
        self.independent = independent
        self.setting = setting
        self.staff = staff
        self.extra = extra
    }
}
