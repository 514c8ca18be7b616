import Foundation
import Hummingbird
import Trellis

/// The work of the evaluating endpoints, run on an `EvaluationPool` worker: read the body, run
/// the rules, write the audit lines, render the answer. Everything here blocks; nothing here
/// runs on an event loop.
struct Evaluation: Sendable {
    let pack: LoadedPack
    let request: AuditRequest
    let audit: AuditLog?
    let history: HistoryRecorder?
    let metrics: ServerMetrics

    /// What a worker hands back to the event loop: a finished body, or an error answer.
    struct Reply: Sendable {
        var text: String
        var studentCount: Int
        var contentType = "application/json"
    }

    /// `POST /v1/evaluate`: the contract's output document, for a class or for one student.
    func evaluate(_ body: [UInt8]) -> Result<Reply, APIError> {
        let document: RequestDocument
        do {
            document = try RosterReader.readRequest(body, sourceName: "body", ladders: pack.ladders)
        } catch {
            return .failure(.invalidInput(error))
        }
        let report: EvaluationReport
        let context: ClassContext
        var disclosed: [(Student, StudentResult)] = []
        switch document {
        case .roster(let roster):
            report = pack.engine.evaluate(roster, jobs: 1)
            context = roster.context
            // Outcomes are in the order of the entries, one each.
            for (entry, outcome) in zip(roster.entries, report.outcomes) {
                if case .student(let student) = entry, case .evaluated(let result) = outcome { disclosed.append((student, result)) }
            }
        case .student(let studentContext, let entry):
            guard case .student(let student) = entry else {
                if case .invalid(_, let issues) = entry { return .failure(.invalidStudent(issues)) }
                return .failure(.invalidStudent([]))
            }
            let result = pack.engine.evaluate(student, context: studentContext)
            report = EvaluationReport(asOf: studentContext.asOf, outcomes: [.evaluated(result)])
            context = studentContext
            disclosed.append((student, result))
        }
        if let failure = record(body, context: context, disclosed: disclosed, classRecommendations: report.classResult?.recommendations) {
            return .failure(failure)
        }
        metrics.recordEvaluation(
            evaluated: report.summary.students - report.summary.skipped, skipped: report.summary.skipped,
            recommendations: report.summary.recommendations + report.summary.classRecommendations,
            ruleErrors: report.results.flatMap(\.errors).map(\.rule) + (report.classResult?.errors.map(\.rule) ?? []))
        history?.record("serve evaluate", body: body, pack: pack, context: context, evaluation: report, requestID: request.requestID)
        return .success(Reply(text: ReportFormat.json.render(report), studentCount: disclosed.count))
    }

    /// `POST /v1/explain`: every rule's outcome for one student. `studentID` picks the student of
    /// a class document; for a one-student body it may be left out.
    func explain(_ body: [UInt8], studentID: String?) -> Result<Reply, APIError> {
        let roster: Roster
        do {
            switch try RosterReader.readRequest(body, sourceName: "body", ladders: pack.ladders) {
            case .roster(let whole): roster = whole
            case .student(let context, let entry): roster = Roster(context: context, entries: [entry])
            }
        } catch {
            return .failure(.invalidInput(error))
        }
        let id: String
        if let studentID {
            id = studentID
        } else if roster.entries.count == 1, case .student(let student) = roster.entries[0] {
            id = student.id
        } else if roster.entries.count == 1, case .invalid(_, let issues) = roster.entries[0] {
            return .failure(.invalidStudent(issues))
        } else {
            return .failure(APIError(status: .badRequest, code: "missing_student", message: "name the student to explain: POST /v1/explain?student=ID"))
        }
        guard let explanation = pack.engine.explain(student: id, in: roster) else {
            return .failure(APIError(status: .notFound, code: "unknown_student", message: "no student has the id \(id) in the body"))
        }
        guard explanation.inputIssues.isEmpty else { return .failure(.invalidStudent(explanation.inputIssues)) }
        let student = roster.entries.lazy.compactMap { entry -> Student? in
            if case .student(let student) = entry, student.id == id { student } else { nil }
        }.first
        if let student {
            let winners = explanation.rules.flatMap { $0.recommendations.filter(\.won).map(\.recommendation) }
            let result = StudentResult(student: id, recommendations: winners, errors: explanation.rules.flatMap(\.errors))
            if let failure = record(body, context: roster.context, disclosed: [(student, result)], classRecommendations: nil) { return .failure(failure) }
        }
        metrics.recordEvaluation(
            evaluated: 1, skipped: 0, recommendations: explanation.rules.reduce(0) { $0 + $1.recommendations.filter(\.won).count },
            ruleErrors: explanation.rules.flatMap(\.errors).map(\.rule))
        return .success(Reply(text: ResponseBodies.explanation(explanation, packSHA256: pack.sha256).jsonText + "\n", studentCount: 1))
    }

    /// Appends the request's audit line and one per student disclosed, all or none; an error
    /// answer when the log cannot take them. Nothing is written for a request that disclosed nothing.
    func record(
        _ body: [UInt8], context: ClassContext, disclosed: [(Student, StudentResult)], classRecommendations: [Recommendation]?
    ) -> APIError? {
        guard let audit, !disclosed.isEmpty || !(classRecommendations ?? []).isEmpty else { return nil }
        let now = Date()
        var records = [
            AuditRecord.request(
                request, inputSHA256: Digests.sha256Hex(body), pack: pack, context: context, students: disclosed.count,
                classRecommendations: classRecommendations, time: now)
        ]
        records.reserveCapacity(disclosed.count + 1)
        for (student, result) in disclosed { records.append(AuditRecord.student(request, student: student, result: result, time: now)) }
        do {
            try audit.append(records)
            return nil
        } catch {
            metrics.recordAuditFailure()
            // No record, no disclosure: the answer is withheld.
            return APIError(
                status: .serviceUnavailable, code: "audit_unavailable",
                message: "the answer is withheld because the audit log cannot be written: \(error)",
                headers: [Routes.requestIDHeader: request.requestID])
        }
    }
}
