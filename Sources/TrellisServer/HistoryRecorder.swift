import Logging
import Trellis

/// `serve --history FILE`: each evaluate and report request recorded as a run. The write runs on
/// the request's `EvaluationPool` worker (never on the cooperative pool), serialised with the
/// other requests' by the history's database queue; each record is built from the request's own
/// evaluation only. A write that fails is logged with the request's id and the answer still
/// goes out: the history is a record for later comparison, not the audit log, which withholds.
struct HistoryRecorder: Sendable {
    let history: RunHistory
    let logger: Logger
    let metrics: ServerMetrics

    func record(_ command: String, body: [UInt8], pack: LoadedPack, context: ClassContext, evaluation: EvaluationReport, requestID: String) {
        let run = RunRecord(
            command: command, input: body, configuration: pack.configurationBytes, engine: pack.engine, context: context, asOf: nil, evaluation: evaluation)
        do throws(HistoryError) {
            try history.record(run)
        } catch {
            metrics.recordHistoryFailure()
            logger.error("request \(requestID) (\(command)) was not recorded in the history: \(error.description)")
        }
    }
}
