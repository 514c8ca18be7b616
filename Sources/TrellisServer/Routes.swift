import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Trellis

/// The endpoints of openapi.yaml.
struct Routes: Sendable {
    let configuration: ServerConfiguration
    let store: EngineStore
    let pool: EvaluationPool
    let metrics: ServerMetrics
    let audit: AuditLog?
    let history: HistoryRecorder?
    let reloader: Reloader

    func add(to router: Router<TrellisRequestContext>) {
        router.get("/healthz") { _, _ in
            let pack = store.current
            // Up whatever the audit log's state, but it says when answers are being withheld.
            let auditState = audit.map { $0.isFailing ? "failing" : "ok" } ?? "off"
            return ResponseBodies.json(.object([
                "status": .string("ok"), "rule_pack_sha256": .string(pack.sha256), "rules": .integer(Int64(pack.engine.rules.count)),
                "loaded_at": .string(AuditRecord.timestamp(pack.loadedAt)), "audit": .string(auditState),
            ]))
        }
        router.get("/metrics") { _, _ in
            let load = pool.load
            metrics.setPool(running: load.running, waiting: load.waiting)
            return ResponseBodies.text(String(decoding: metrics.render(), as: UTF8.self), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/v1/rules") { _, _ in
            ResponseBodies.json(ResponseBodies.rules(store.current))
        }
        router.post("/v1/evaluate") { request, context in
            try await evaluating(request, context: context, endpoint: "/v1/evaluate") { evaluation, body in evaluation.evaluate(body) }
        }
        router.post("/v1/report") { request, context in
            try await evaluating(request, context: context, endpoint: "/v1/report") { evaluation, body in evaluation.report(body) }
        }
        router.post("/v1/explain") { request, context in
            let student = request.uri.queryParameters.get("student")
            return try await evaluating(request, context: context, endpoint: "/v1/explain") { evaluation, body in
                evaluation.explain(body, studentID: student)
            }
        }
        router.post("/v1/reload") { _, _ in
            switch await reloader.reload(trigger: "http") {
            case .success(let (old, new)):
                return ResponseBodies.json(.object([
                    "reloaded": .bool(true), "rule_pack_sha256": .string(new.sha256), "previous_rule_pack_sha256": .string(old.sha256),
                    "rules": .integer(Int64(new.engine.rules.count)), "loaded_at": .string(AuditRecord.timestamp(new.loadedAt)),
                ]))
            case .failure(let error):
                throw APIError(
                    status: .unprocessableContent, code: "invalid_rule_pack",
                    message: "the new rule pack was refused; the one loaded before keeps serving (\(store.current.sha256))",
                    issues: error.issues.map(ResponseBodies.issue))
            }
        }
    }

    /// Reads the body on the event loop (it is I/O), then does the rest on a worker, on the
    /// pack that was current when the request came in.
    private func evaluating(
        _ request: Request, context: TrellisRequestContext, endpoint: String,
        _ work: @escaping @Sendable (Evaluation, [UInt8]) -> Result<Evaluation.Reply, APIError>
    ) async throws -> Response {
        // Before the body: what is recorded in the audit log is bounded first.
        for (name, limit) in Self.recordedHeaderLimits {
            if let value = request.headers[name], value.utf8.count > limit { throw APIError.headerTooLarge(name, size: value.utf8.count, limit: limit) }
        }
        let body = try await RequestBodyReader.read(request, limit: configuration.maxBodyBytes)
        let pack = store.current
        let who = AuditRequest(
            identity: context.identity, onBehalfOf: request.headers[Self.userHeader], requestID: Self.requestID(),
            endpoint: endpoint, purpose: request.headers[Self.purposeHeader])
        let evaluation = Evaluation(pack: pack, request: who, audit: audit, history: history, metrics: metrics)
        let result: Result<Evaluation.Reply, APIError>
        do throws(EvaluationPool.Failure) {
            result = try await pool.run(timeout: configuration.requestTimeout) { work(evaluation, body) }
        } catch {
            var refusal = APIError.from(error, timeout: configuration.requestTimeout)
            refusal.headers[Self.requestIDHeader] = who.requestID
            throw refusal
        }
        let reply = try result.get()
        return ResponseBodies.text(
            reply.text, contentType: reply.contentType,
            headers: [Self.packHeader: pack.sha256, Self.requestIDHeader: who.requestID, MetricsMiddleware.studentCountHeader: String(reply.studentCount)])
    }

    static let userHeader = HTTPField.Name("X-Trellis-User")!
    static let purposeHeader = HTTPField.Name("X-Trellis-Purpose")!
    /// The headers recorded in the audit log, and the most bytes each may have (all its fields
    /// together, when it is sent more than once): a person's id, and a sentence or two of why.
    static let recordedHeaderLimits: [(HTTPField.Name, Int)] = [(userHeader, 256), (purposeHeader, 1024)]
    static let packHeader = HTTPField.Name("X-Trellis-Rule-Pack")!
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!

    private static func requestID() -> String {
        UUID().uuidString.lowercased()
    }
}

/// Reloads the rule pack on `POST /v1/reload` and on SIGHUP, off the event loops (loading
/// compiles every rule), one at a time, counting and logging each outcome.
final class Reloader: Sendable {
    let store: EngineStore
    let metrics: ServerMetrics
    let logger: Logger
    private let queue = DispatchQueue(label: "trellis.reload")

    init(store: EngineStore, metrics: ServerMetrics, logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
    }

    func reload(trigger: String) async -> Result<(old: LoadedPack, new: LoadedPack), TrellisError> {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.reloadNow(trigger: trigger)) }
        }
    }

    /// Blocking; on the reload queue.
    func reloadNow(trigger: String) -> Result<(old: LoadedPack, new: LoadedPack), TrellisError> {
        let result = store.reload()
        switch result {
        case .success(let (old, new)):
            metrics.recordReload(ok: true)
            metrics.registerRules(new.engine.rules.map(\.id))
            logger.notice("rule pack reloaded (\(trigger)): \(old.sha256.prefix(12)) -> \(new.sha256.prefix(12)), \(new.engine.rules.count) rules")
            for replacement in new.replacements { logger.notice("\(replacement)") }
        case .failure(let error):
            metrics.recordReload(ok: false)
            logger.error("rule pack reload (\(trigger)) refused; still serving \(store.current.sha256.prefix(12)):\n\(error.description)")
        }
        return result
    }

    /// Reloads on every SIGHUP until the returned source is cancelled.
    func watchHangups() -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        source.setEventHandler { [self] in _ = reloadNow(trigger: "SIGHUP") }
        source.resume()
        return source
    }
}
