/// One skill of one student on one ladder (prompt levels, or stages), as the report shows it:
/// the level now, the level for today, the trend and what would come next.
struct SkillTrack {
    enum LadderName: String {
        case prompt, stage

        /// The recommendation kind that moves a skill on this ladder.
        var kind: String { self == .prompt ? "prompt" : "scaffold" }
        var levelWord: String { self == .prompt ? "prompt level" : "stage" }
    }

    enum Trend: String {
        case up, down, flat

        var mark: String {
            switch self {
            case .up: "▲"
            case .down: "▼"
            case .flat: "▶"
            }
        }

        var words: String {
            switch self {
            case .up: "improving"
            case .down: "falling"
            case .flat: "steady"
            }
        }
    }

    let skill: Skill
    let ladderName: LadderName
    let ladder: [String]
    /// The skill's level now: its own field, else its newest session's.
    let current: String?
    /// The winning recommendation of the ladder's kind for this skill, if any.
    let recommendation: Recommendation?
    let criterion: ReportCriteria.Ladder

    /// The track of a skill: on the prompt ladder when it has prompt levels, else on stages;
    /// nil when it has neither.
    init?(skill: Skill, result: StudentResult, ladders: Ladders, criteria: ReportCriteria) {
        let promptLevel = skill.promptLevel ?? skill.sessions.last?.promptLevel
        let stage = skill.stage ?? skill.sessions.last?.stage
        let hasPrompt = promptLevel != nil || skill.sessions.contains { $0.promptLevel != nil }
        let hasStage = stage != nil || skill.sessions.contains { $0.stage != nil }
        if hasPrompt {
            self.init(skill: skill, ladderName: .prompt, ladder: ladders.prompt, current: promptLevel, result: result, criterion: criteria.prompt)
        } else if hasStage {
            self.init(skill: skill, ladderName: .stage, ladder: ladders.stage, current: stage, result: result, criterion: criteria.stage)
        } else {
            return nil
        }
    }

    private init(skill: Skill, ladderName: LadderName, ladder: [String], current: String?, result: StudentResult, criterion: ReportCriteria.Ladder) {
        self.skill = skill
        self.ladderName = ladderName
        self.ladder = ladder
        self.current = current
        self.recommendation = result.recommendations.first { $0.skill == skill.id && $0.kind == ladderName.kind }
        self.criterion = criterion
    }

    /// A session's level on this track's ladder.
    func level(of session: Session) -> String? {
        ladderName == .prompt ? session.promptLevel : session.stage
    }

    /// 0 for the level with the most support; nil for a level not on the ladder.
    func position(of level: String?) -> Int? {
        level.flatMap { ladder.firstIndex(of: $0) }
    }

    /// The level to use today: where today's recommendation moves the skill, else where it is.
    var today: String? {
        guard let recommendation else { return current }
        switch recommendation.action {
        case "fade", "advance", "step_back": return recommendation.to ?? current
        default: return current
        }
    }

    var isMastered: Bool {
        recommendation?.action == "mastered" || skill.extra["mastered_on"]?.stringValue != nil
    }

    /// Sessions in a row, newest first, at `level` that meet the criterion (at most the number
    /// the criterion asks for).
    func sessionsMeetingCriterion(at level: String) -> Int {
        var count = 0
        for session in skill.sessions.reversed() {
            guard self.level(of: session) == level, let percent = Self.percent(session), percent >= criterion.percent,
                (session.trials ?? 0) >= criterion.minTrials
            else { break }
            count += 1
        }
        return count
    }

    /// What comes next if today's session meets the criterion (`criterionWords`), in words a
    /// teacher reads: "2 of 3 in a row toward verbal", "fade to verbal next time".
    var nextIfTodayGoesWell: String {
        guard let today, let position = position(of: today) else { return "no level recorded: record the level with today's session" }
        let isLast = position == ladder.count - 1
        if isMastered && isLast { return "mastered: keep practising it in other settings and with other staff" }
        let changesToday = recommendation.map { ["fade", "advance", "step_back"].contains($0.action) } ?? false
        let done = changesToday ? 0 : sessionsMeetingCriterion(at: today)
        let after = min(done + 1, criterion.sessions)
        let move = ladderName == .prompt ? "fade" : "advance"
        if after >= criterion.sessions { return isLast ? "mastered next time" : "\(move) to \(ReportWords.level(ladder[position + 1])) next time" }
        let goal = isLast ? "mastered" : ReportWords.level(ladder[position + 1])
        return "\(after) of \(criterion.sessions) in a row toward \(goal)"
    }

    /// What "goes well" means: `at least 80% correct with 5 trials or more`.
    var criterionWords: String {
        "at least \(JSONText.number(criterion.percent))% correct with \(criterion.minTrials) trials or more"
    }

    /// Up when the newest session is at least 10 points above the mean of the (up to) 3 before
    /// it, down when 10 below, else flat; nil with fewer than 2 sessions with trials.
    var trend: Trend? {
        let percents = skill.sessions.compactMap(Self.percent)
        guard percents.count >= 2, let newest = percents.last else { return nil }
        let before = percents.dropLast().suffix(3)
        let mean = before.reduce(0, +) / Double(before.count)
        if newest - mean >= 10 { return .up }
        if mean - newest >= 10 { return .down }
        return .flat
    }

    /// Percent of trials correct, as the rules count it (`trellis.percent`): nil without trials.
    static func percent(_ session: Session) -> Double? {
        guard let trials = session.trials, trials > 0 else { return nil }
        return Double(session.correct ?? 0) * 100 / Double(trials)
    }
}
