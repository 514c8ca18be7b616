/// What each run of a history recommended, and what changed from the run of the same class
/// before it (`trellis history`).
package struct HistoryTimeline: Sendable {
    /// How a (student, skill, kind)'s winning recommendation compares with the previous run's.
    package enum Status: String, Sendable, Hashable {
        /// The previous run had none (or there is no previous run of the class).
        case new
        /// A different action, target or menu (contract section 6's change; a new reason alone is none).
        case changed
        /// The previous run had one and this run has none.
        case gone
        /// The same action, target and menu.
        case same
    }

    /// One (student, skill, kind) in one run.
    package struct Entry: Sendable, Hashable {
        package var student: String
        package var skill: String?
        package var kind: String
        package var status: Status
        /// This run's winner; `nil` when ``status`` is `gone`.
        package var recommendation: Recommendation?
        /// The previous run's winner; `nil` when ``status`` is `new`.
        package var previous: Recommendation?
    }

    /// One run and its entries.
    package struct Step: Sendable, Hashable {
        package var run: RecordedRun
        /// The number of the run of the same class before this one, if any.
        package var previousRunID: Int64?
        /// Its entries: students in the order recorded, then each student's in the rules' order.
        package var entries: [Entry]
    }

    /// The history file.
    package var path: String
    /// The student and skill asked for, if any.
    package var student: String?
    package var skill: String?
    /// Every run, oldest first.
    package var steps: [Step]

    /// The timeline of `history`, for one student and skill when given. Class-level rules'
    /// recommendations are not listed (they name no single student).
    ///
    /// - Parameters:
    ///   - history: the history file.
    ///   - student: only this student's recommendations, if given.
    ///   - skill: only this skill's, if given.
    /// - Throws: ``HistoryError`` naming the file when it cannot be read.
    package init(history: RunHistory, student: String? = nil, skill: String? = nil) throws(HistoryError) {
        path = history.path
        self.student = student
        self.skill = skill
        var steps: [Step] = []
        var lastByClass: [String: (id: Int64, results: [StudentResult])] = [:]
        for run in try history.runs() {
            let results = Self.results(try history.recommendations(ofRun: run.id, student: student, skill: skill))
            let previous = lastByClass[run.classKey]
            let entries = WhatIf.pairs(before: previous?.results ?? [], after: results).map { pair in
                Entry(student: pair.student, skill: pair.skill, kind: pair.kind, status: Self.status(pair), recommendation: pair.after, previous: pair.before)
            }
            // The order is this run's: a gone entry after the student's present ones.
            let order = Dictionary(results.enumerated().map { ($1.student, $0) }, uniquingKeysWith: { first, _ in first })
            let sorted = entries.enumerated().sorted { left, right in
                let leftRank = order[left.element.student] ?? Int.max
                let rightRank = order[right.element.student] ?? Int.max
                return leftRank != rightRank ? leftRank < rightRank : left.offset < right.offset
            }.map(\.element)
            steps.append(Step(run: run, previousRunID: previous?.id, entries: sorted))
            lastByClass[run.classKey] = (run.id, results)
        }
        self.steps = steps
    }

    /// The recorded recommendations grouped as students' results, class-level ones left out.
    static func results(_ recorded: [RecordedRecommendation]) -> [StudentResult] {
        var results: [StudentResult] = []
        var index: [String: Int] = [:]
        for entry in recorded {
            guard let student = entry.student else { continue }
            if let at = index[student] {
                results[at].recommendations.append(entry.recommendation)
            } else {
                index[student] = results.count
                results.append(StudentResult(student: student, recommendations: [entry.recommendation]))
            }
        }
        return results
    }

    private static func status(_ pair: RecommendationChange) -> Status {
        switch (pair.before, pair.after) {
        case (nil, _): .new
        case (_, nil): .gone
        case (let before?, let after?): WhatIf.differs(before, after) ? .changed : .same
        }
    }
}
