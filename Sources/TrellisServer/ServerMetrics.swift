import Prometheus

/// The server's Prometheus metrics, in a registry of its own (not the process-wide
/// `MetricsSystem`), so that several servers in one test process do not mix their counts.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let evaluatedStudents: Counter
    private let skippedStudents: Counter
    private let recommendations: Counter
    private let inFlight: Gauge
    private let auditFailures: Counter
    private let historyFailures: Counter
    private let openConnections: Gauge
    private let connectionsClosedAtCap: Counter

    /// Seconds, from 1 ms to 30 s: a class of 30 takes tens of milliseconds.
    private static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
    ]

    init() {
        evaluatedStudents = registry.makeCounter(
            descriptor: .init(namespace: "trellis", metricName: "students_evaluated", unitName: "total", helpText: "Students whose rules ran"))
        skippedStudents = registry.makeCounter(
            descriptor: .init(namespace: "trellis", metricName: "students_skipped", unitName: "total", helpText: "Student records rejected for bad data"))
        recommendations = registry.makeCounter(
            descriptor: .init(namespace: "trellis", metricName: "recommendations", unitName: "total", helpText: "Recommendations returned"))
        inFlight = registry.makeGauge(
            descriptor: .init(namespace: "trellis", metricName: "http_requests_in_flight", unitName: "", helpText: "Requests being handled"))
        auditFailures = registry.makeCounter(
            descriptor: .init(
                namespace: "trellis", metricName: "audit_write_failures", unitName: "total",
                helpText: "Answers withheld because the audit log could not be written"))
        historyFailures = registry.makeCounter(
            descriptor: .init(
                namespace: "trellis", metricName: "history_write_failures", unitName: "total",
                helpText: "Requests not recorded because the history file (--history) could not be written"))
        openConnections = registry.makeGauge(
            descriptor: .init(namespace: "trellis", metricName: "http_connections_open", unitName: "", helpText: "Connections the server holds"))
        connectionsClosedAtCap = registry.makeCounter(
            descriptor: .init(
                namespace: "trellis", metricName: "http_connections_closed_at_cap", unitName: "total",
                helpText: "Idle connections closed to make room under --max-connections"))
        // Present from the start, so that a scrape before the first reload shows them at 0.
        for result in ["ok", "refused"] { _ = reloadCounter(result) }
    }

    /// One request answered: counted by route, method and status, timed by route.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "trellis", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered"),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "trellis", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer a request"),
            labels: [("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    func requestStarted() { inFlight.increment() }
    func requestFinished() { inFlight.decrement() }

    /// What one evaluation produced: students run and skipped, recommendations, rule errors by rule.
    func recordEvaluation(evaluated: Int, skipped: Int, recommendations count: Int, ruleErrors: [String?]) {
        evaluatedStudents.increment(by: Int64(evaluated))
        skippedStudents.increment(by: Int64(skipped))
        recommendations.increment(by: Int64(count))
        for rule in ruleErrors { ruleErrorCounter(rule ?? "").increment() }
    }

    func recordAuditFailure() { auditFailures.increment() }
    func recordHistoryFailure() { historyFailures.increment() }

    func connectionOpened() { openConnections.increment() }
    func connectionClosed() { openConnections.decrement() }
    func connectionClosedAtCap() { connectionsClosedAtCap.increment() }

    func recordReload(ok: Bool) { reloadCounter(ok ? "ok" : "refused").increment() }

    /// Makes each rule's error counter exist at 0, so that a dashboard sees every rule from the start.
    func registerRules(_ ids: [String]) {
        for id in ids { _ = ruleErrorCounter(id) }
    }

    private func ruleErrorCounter(_ rule: String) -> Counter {
        registry.makeCounter(
            descriptor: .init(namespace: "trellis", metricName: "rule_errors", unitName: "total", helpText: "Rule failures (errors and limits), by rule"),
            labels: [("rule", rule)])
    }

    @discardableResult
    private func reloadCounter(_ result: String) -> Counter {
        registry.makeCounter(
            descriptor: .init(namespace: "trellis", metricName: "reloads", unitName: "total", helpText: "Rule pack reloads, by result"),
            labels: [("result", result)])
    }

    /// The exposition text (format 0.0.4).
    func render() -> [UInt8] { registry.emitToBuffer() }
}

extension ServerMetrics {
    /// The worker pool's load at scrape time.
    func setPool(running: Int, waiting: Int) {
        registry.makeGauge(
            descriptor: .init(namespace: "trellis", metricName: "workers_busy", unitName: "", helpText: "Workers running an evaluation")
        ).set(to: Double(running))
        registry.makeGauge(
            descriptor: .init(namespace: "trellis", metricName: "requests_waiting", unitName: "", helpText: "Requests waiting for a worker")
        ).set(to: Double(waiting))
    }
}
