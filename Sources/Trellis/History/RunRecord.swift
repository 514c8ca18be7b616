import Foundation

/// One run of the rules as the history records it: when, on what, with which rules, and every
/// winning recommendation.
package struct RunRecord: Sendable {
    /// The run as the history will hold it (its ``RecordedRun/id`` is 0 until it is recorded).
    package internal(set) var run: RecordedRun
    /// The winning recommendations: each student's in input order, then the class-level rules'
    /// (whose `student` is `nil`).
    var recommendations: [(student: String?, recommendation: Recommendation)]

    /// The record of evaluating `input` with `engine`.
    ///
    /// - Parameters:
    ///   - command: what made the run (`evaluate`, `report`, `serve evaluate`, `serve report`).
    ///   - input: the bytes of the input document, as read.
    ///   - configuration: the bytes of the configuration file, if the run had one.
    ///   - engine: the rules the run used (their digest is ``Engine/rulePackSHA256``).
    ///   - context: the class-level fields of the input, after any `--as-of` cut.
    ///   - asOf: the `--as-of` day, if one was given.
    ///   - evaluation: what the rules decided.
    ///   - recordedAt: when; now by default.
    package init(
        command: String, input: [UInt8], configuration: [UInt8]?, engine: Engine, context: ClassContext, asOf: SchoolDay?,
        evaluation: EvaluationReport, recordedAt: Date = Date()
    ) {
        run = RecordedRun(
            id: 0, recordedAt: RunHistory.timestamp(recordedAt), command: command, asOf: asOf?.text, evaluatedAsOf: evaluation.asOf,
            classKey: RunHistory.classKey(of: context), trellisVersion: TrellisVersion.current, inputSHA256: SHA256Text.hex(input),
            rulePackSHA256: engine.rulePackSHA256, configurationSHA256: configuration.map { SHA256Text.hex($0) }, students: evaluation.summary.students,
            skipped: evaluation.summary.skipped, errors: evaluation.summary.errors + (evaluation.classResult?.errors.count ?? 0))
        var recommendations: [(student: String?, recommendation: Recommendation)] = []
        for result in evaluation.results {
            for recommendation in result.recommendations { recommendations.append((result.student, recommendation)) }
        }
        for recommendation in evaluation.classResult?.recommendations ?? [] { recommendations.append((nil, recommendation)) }
        self.recommendations = recommendations
    }
}

/// A run read back from a history file.
package struct RecordedRun: Sendable, Hashable {
    /// The run's number in the file: 1 for the first, higher for later ones.
    package var id: Int64
    /// When it was made, ISO 8601 in UTC (`2026-11-20T08:15:02Z`).
    package var recordedAt: String
    /// `evaluate`, `report`, `serve evaluate` or `serve report`.
    package var command: String
    /// The day given with `--as-of`, if any (`YYYY-MM-DD`).
    package var asOf: String?
    /// The day the recommendations were for: the document's `as_of`, or the `--as-of` day.
    package var evaluatedAsOf: String
    /// Which class the run is about (see ``RunHistory/classKey(of:)``).
    package var classKey: String
    /// `trellis --version` of the Trellis that made the run.
    package var trellisVersion: String
    /// SHA-256 of the input's bytes, of the rule pack (``Engine/rulePackSHA256``) and of the
    /// configuration file's bytes (`nil` without one).
    package var inputSHA256: String
    package var rulePackSHA256: String
    package var configurationSHA256: String?
    /// Student records read, records skipped for bad data, and error entries.
    package var students: Int
    package var skipped: Int
    package var errors: Int
}

/// A recommendation read back from a history file, with the student it is for.
package struct RecordedRecommendation: Sendable, Hashable {
    /// The student; `nil` for a class-level rule's recommendation.
    package var student: String?
    /// Its fields; `evidence` and a custom rule's further fields stay in the file's
    /// `recommendation` column (the output contract's JSON), not here.
    package var recommendation: Recommendation
}
