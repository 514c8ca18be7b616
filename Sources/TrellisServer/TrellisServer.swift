import Dispatch
import Foundation
import Hummingbird
import Logging
import Trellis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `trellis serve`: the engine over HTTP (see docs/server.md and openapi.yaml).
///
/// ```swift
/// let server = try TrellisServer(configuration: ServerConfiguration(port: 8080), source: RulePackSource())
/// try await server.run()
/// ```
public struct TrellisServer: Sendable {
    public let configuration: ServerConfiguration
    let store: EngineStore
    let pool: EvaluationPool
    let metrics: ServerMetrics
    let audit: AuditLog?
    let history: HistoryRecorder?
    let reloader: Reloader
    let connections: ConnectionLimiter
    let logger: Logger

    /// Checks the settings, loads the rules and opens the audit log; binds nothing yet.
    ///
    /// - Throws: ``ServerSetupError`` (an unsafe address without a token, a bad setting, an
    ///   audit log that cannot be opened) or `TrellisError` (the rules or the configuration cannot be used: each problem a `TrellisIssue`
    ///   with its file:line and, for the configuration, the setting's path).
    public init(configuration: ServerConfiguration, source: RulePackSource, logger: Logger = Logger(label: "trellis.serve")) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        store = try EngineStore(source: source)
        pool = EvaluationPool(workers: configuration.workers, maxWaiting: configuration.maxWaiting)
        metrics = ServerMetrics()
        metrics.registerRules(store.current.engine.rules.map(\.id))
        for replacement in store.current.replacements { logger.notice("\(replacement)") }
        audit = try configuration.auditPath.map { path throws(ServerSetupError) in try AuditLog(path: path, logger: logger) }
        history = try configuration.historyPath.map { [metrics] path throws(ServerSetupError) in try Self.openHistory(path, logger: logger, metrics: metrics) }
        reloader = Reloader(store: store, metrics: metrics, logger: logger)
        connections = ConnectionLimiter(limit: Self.keepableConnections(configuration.maxConnections, logger: logger), metrics: metrics)
    }

    /// `--history`: opened (created 0600, or migrated) before the server binds, so that a file
    /// that is not a history stops it from starting.
    static func openHistory(_ path: String, logger: Logger, metrics: ServerMetrics) throws(ServerSetupError) -> HistoryRecorder {
        do throws(HistoryError) {
            let history = try RunHistory(path: path)
            if let warning = history.permissionWarning { logger.warning("\(warning)") }
            return HistoryRecorder(history: history, logger: logger, metrics: metrics)
        } catch {
            throw ServerSetupError("the history cannot be used: \(error.path): \(error.message)")
        }
    }

    /// Descriptors kept for everything but connections: the listening socket, the audit log,
    /// the rule files a reload reads, the event loops' own.
    static let reservedDescriptors = 128

    /// `wanted`, or fewer if this process may not open enough descriptors for them. The soft
    /// limit is raised toward the hard one first (as far as `ulimit -Hn` allows).
    static func keepableConnections(_ wanted: Int, logger: Logger) -> Int {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        let unlimited = rlim_t.max  // RLIM_INFINITY, which Swift does not import on Linux
        #else
        let resource = RLIMIT_NOFILE
        let unlimited = RLIM_INFINITY
        #endif
        var limits = rlimit()
        guard getrlimit(resource, &limits) == 0 else { return wanted }
        let needed = rlim_t(wanted + reservedDescriptors)
        if limits.rlim_cur != unlimited, limits.rlim_cur < needed {
            var raised = limits
            raised.rlim_cur = limits.rlim_max == unlimited ? needed : min(needed, limits.rlim_max)
            if setrlimit(resource, &raised) == 0 { limits = raised }
        }
        guard limits.rlim_cur != unlimited, limits.rlim_cur < needed else { return wanted }
        let possible = max(1, Int(limits.rlim_cur) - reservedDescriptors)
        logger.warning(
            "only \(limits.rlim_cur) file descriptors may be open (ulimit -n): holding at most \(possible) connections, not \(wanted) (--max-connections)")
        return possible
    }

    /// The application, for `run` and for tests.
    func makeApplication(onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: TrellisRequestContext.self)
        let connections = connections
        router.add(middleware: MetricsMiddleware(metrics: metrics, logger: logger))
        router.add(middleware: ErrorMiddleware())
        if let tokens = configuration.tokens { router.add(middleware: BearerAuthMiddleware(tokens: tokens)) }
        Routes(configuration: configuration, store: store, pool: pool, metrics: metrics, audit: audit, history: history, reloader: reloader).add(to: router)
        return Application(
            router: router,
            // An idle connection is closed after a minute, so that clients that open and then
            // stall cannot hold connections forever; at the cap, sooner (ConnectionLimiter).
            server: .http1(configuration: .init(additionalChannelHandlers: [connections.makeTracker()], idleTimeout: .seconds(60))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "trellis",
                availableConnectionsDelegate: connections.admission),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT (then finishes the requests in flight); reloads on SIGHUP.
    ///
    /// - Parameter onListening: called with the port once the server accepts connections.
    public func run(onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws {
        // A file-size limit (ulimit -f) makes a write fail (EFBIG) instead of killing the
        // server: the audit log then withholds answers, as on a full disk.
        signal(SIGXFSZ, SIG_IGN)
        let hangups = reloader.watchHangups()
        defer { hangups.cancel() }
        try await makeApplication(onListening: onListening).runService()
    }
}
