/// Something that went wrong for one student or one rule, and where.
public struct TrellisIssue: Sendable, Hashable, Error, CustomStringConvertible {
    /// What kind of failure it is.
    public enum Kind: String, Sendable, Hashable {
        /// The student's record breaks the contract; the student was skipped.
        case invalidStudent = "invalid_student"
        /// A rule raised an error for the student.
        case ruleError = "rule_error"
        /// A rule ran out of its instruction or memory budget.
        case ruleLimit = "rule_limit"
        /// A rule returned something that is not a list of recommendations.
        case invalidRecommendation = "invalid_recommendation"
        /// The input as a whole cannot be read (not JSON, a broken class-level field).
        case invalidInput = "invalid_input"
        /// A rule cannot be loaded (a syntax error, no `evaluate`, a bad declaration).
        case invalidRule = "invalid_rule"
        /// A school's configuration (YAML) cannot be used: a syntax error, an unknown setting or
        /// rule, a parameter value its rule does not allow.
        case invalidConfiguration = "invalid_configuration"
        /// A skill of the student was not decided: some of its data was bad or lost on import.
        case undecidedSkill = "undecided_skill"
    }

    public var kind: Kind
    /// The student's id, when known.
    public var student: String?
    /// The rule's id, for rule failures.
    public var rule: String?
    /// The skill left undecided, for `undecidedSkill`.
    public var skill: String?
    public var message: String
    /// `rules/x.lua:12` for a rule, `class.json:57:23` for input, `school.yaml:4:7` for a
    /// configuration.
    public var location: String?
    /// The field in the input, for example `students[4] (h-05).skills[0].sessions[2].trials`, or
    /// the setting in a configuration, for example `rules.prompt-fading.params.fade_percent`.
    public var path: String?

    public init(
        kind: Kind, student: String? = nil, rule: String? = nil, skill: String? = nil, message: String, location: String? = nil, path: String? = nil
    ) {
        self.kind = kind
        self.student = student
        self.rule = rule
        self.skill = skill
        self.message = message
        self.location = location
        self.path = path
    }

    /// `location: path: message`, or `location: rule X for student Y: message`, on one line:
    /// characters a terminal would act on (escape sequences, line breaks, bidirectional
    /// overrides) are written as escapes (`TerminalText`), since the message, the ids and the
    /// path may come from a rule or an input. The fields themselves keep the text as it was.
    public var description: String {
        var parts: [String] = []
        if let location { parts.append(location) }
        if let path {
            parts.append(path)
        } else if let rule {
            parts.append(student.map { "rule \(rule) for student \($0)" } ?? "rule \(rule)")
        } else if let student {
            parts.append("student \(student)")
        }
        parts.append(message)
        return TerminalText.escaped(parts.joined(separator: ": "))
    }
}

/// What the rules decided for one student.
public struct StudentResult: Sendable, Hashable {
    public var student: String
    /// The student's display name, when the record has one (for tables and reports).
    public var name: String?
    /// The winning recommendations, in rule order.
    public var recommendations: [Recommendation]
    /// Recommendations that lost a conflict, kept to explain the winners.
    public var overridden: [OverriddenRecommendation]
    /// What rules decided nothing about, and why.
    public var notes: [RuleNote]
    /// Rules that failed for this student; the other rules' results stand.
    public var errors: [TrellisIssue]

    public init(
        student: String, name: String? = nil, recommendations: [Recommendation] = [], overridden: [OverriddenRecommendation] = [], notes: [RuleNote] = [],
        errors: [TrellisIssue] = []
    ) {
        self.student = student
        self.name = name
        self.recommendations = recommendations
        self.overridden = overridden
        self.notes = notes
        self.errors = errors
    }
}

/// The outcome of one student record: evaluated, or skipped because its data is invalid.
public enum StudentOutcome: Sendable, Hashable {
    case evaluated(StudentResult)
    case skipped(studentID: String?, issues: [TrellisIssue])
}

/// Counts over a run.
public struct EvaluationSummary: Sendable, Hashable {
    /// Student records read, evaluated or not.
    public var students: Int = 0
    /// Winning recommendations.
    public var recommendations: Int = 0
    /// Students with any error: skipped for invalid data, or a rule that failed.
    public var failed: Int = 0
    /// Students skipped for invalid data.
    public var skipped: Int = 0
    /// Error entries, all students together.
    public var errors: Int = 0
    /// Winning recommendations by `kind` and then `action`.
    public var byKindAndAction: [String: [String: Int]] = [:]
    /// Recommendations of class-level rules.
    public var classRecommendations: Int = 0

    public init() {}

    /// Counts one student's outcome.
    public mutating func add(_ outcome: StudentOutcome) {
        students += 1
        switch outcome {
        case .evaluated(let result):
            recommendations += result.recommendations.count
            for recommendation in result.recommendations {
                byKindAndAction[recommendation.kind, default: [:]][recommendation.action, default: 0] += 1
            }
            if !result.errors.isEmpty { failed += 1 }
            errors += result.errors.count
        case .skipped(_, let issues):
            failed += 1
            skipped += 1
            errors += issues.count
        }
    }
}

/// What class-level rules (`evaluate_class`) decided, once the students were evaluated.
public struct ClassResult: Sendable, Hashable {
    /// Recommendations about the class, or naming students in a `student` or `students` field.
    public var recommendations: [Recommendation]
    public var notes: [RuleNote]
    public var errors: [TrellisIssue]

    public init(recommendations: [Recommendation] = [], notes: [RuleNote] = [], errors: [TrellisIssue] = []) {
        self.recommendations = recommendations
        self.notes = notes
        self.errors = errors
    }
}

/// Everything a run decided, in input order.
public struct EvaluationReport: Sendable, Hashable {
    public var asOf: String
    public var outcomes: [StudentOutcome]
    /// The class-level rules' result; nil when the pack has none.
    public var classResult: ClassResult?
    public var summary: EvaluationSummary

    public init(asOf: String, outcomes: [StudentOutcome], classResult: ClassResult? = nil) {
        self.asOf = asOf
        self.outcomes = outcomes
        self.classResult = classResult
        var summary = EvaluationSummary()
        for outcome in outcomes { summary.add(outcome) }
        if let classResult {
            summary.classRecommendations = classResult.recommendations.count
            summary.errors += classResult.errors.count
        }
        self.summary = summary
    }

    /// The evaluated students' results, in input order.
    public var results: [StudentResult] {
        outcomes.compactMap { outcome -> StudentResult? in
            if case .evaluated(let result) = outcome { result } else { nil }
        }
    }

    /// The issues of skipped students, in input order.
    public var inputIssues: [TrellisIssue] {
        outcomes.flatMap { outcome -> [TrellisIssue] in
            if case .skipped(_, let issues) = outcome { issues } else { [] }
        }
    }

    /// Every issue of the run, skipped students and failed rules, in input order, then the
    /// class-level rules' errors.
    public var issues: [TrellisIssue] {
        outcomes.flatMap { outcome -> [TrellisIssue] in
            switch outcome {
            case .evaluated(let result): result.errors
            case .skipped(_, let issues): issues
            }
        } + (classResult?.errors ?? [])
    }

    /// True when every student was evaluated and no rule failed.
    public var isClean: Bool { summary.failed == 0 && (classResult?.errors.isEmpty ?? true) }
}
