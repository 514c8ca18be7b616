import Trellis

extension Evaluation {
    /// `POST /v1/report`: the coordinator's report of the posted class (or one student), the
    /// same self-contained HTML that `trellis report` writes.
    func report(_ body: [UInt8]) -> Result<Reply, APIError> {
        let roster: Roster
        do {
            switch try RosterReader.readRequest(body, sourceName: "body", ladders: pack.ladders) {
            case .roster(let whole): roster = whole
            case .student(let context, let entry):
                if case .invalid(_, let issues) = entry { return .failure(.invalidStudent(issues)) }
                roster = Roster(context: context, entries: [entry])
            }
        } catch {
            return .failure(.invalidInput(error))
        }
        let evaluation = pack.engine.evaluate(roster, jobs: 1)
        var disclosed: [(Student, StudentResult)] = []
        for (entry, outcome) in zip(roster.entries, evaluation.outcomes) {
            if case .student(let student) = entry, case .evaluated(let result) = outcome { disclosed.append((student, result)) }
        }
        if let failure = record(body, context: roster.context, disclosed: disclosed, classRecommendations: evaluation.classResult?.recommendations) {
            return .failure(failure)
        }
        metrics.recordEvaluation(
            evaluated: evaluation.summary.students - evaluation.summary.skipped, skipped: evaluation.summary.skipped,
            recommendations: evaluation.summary.recommendations + evaluation.summary.classRecommendations,
            ruleErrors: evaluation.results.flatMap(\.errors).map(\.rule) + (evaluation.classResult?.errors.map(\.rule) ?? []))
        history?.record("serve report", body: body, pack: pack, context: roster.context, evaluation: evaluation, requestID: request.requestID)
        let html = ClassReport(roster: roster, evaluation: evaluation, parameters: pack.engine.parameterValues).html()
        return .success(Reply(text: html, studentCount: disclosed.count, contentType: "text/html; charset=utf-8"))
    }
}
