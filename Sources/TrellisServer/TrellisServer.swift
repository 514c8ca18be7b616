import Dispatch
import Foundation
import Hummingbird
import Logging
import Trellis

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
    let reloader: Reloader
    let logger: Logger

    /// Checks the settings, loads the rules and opens the audit log; binds nothing yet.
    ///
    /// - Throws: ``ServerSetupError`` (an unsafe address without a token, a bad setting, an
    ///   audit log that cannot be opened) or ``PackLoadError`` (the rules cannot be used).
    public init(configuration: ServerConfiguration, source: RulePackSource, logger: Logger = Logger(label: "trellis.serve")) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        store = try EngineStore(source: source)
        pool = EvaluationPool(workers: configuration.workers, maxWaiting: configuration.maxWaiting)
        metrics = ServerMetrics()
        metrics.registerRules(store.current.engine.rules.map(\.id))
        audit = try configuration.auditPath.map { path throws(ServerSetupError) in try AuditLog(path: path) }
        reloader = Reloader(store: store, metrics: metrics, logger: logger)
    }

    /// The application, for `run` and for tests.
    func makeApplication(onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: TrellisRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware())
        if let tokens = configuration.tokens { router.add(middleware: BearerAuthMiddleware(tokens: tokens)) }
        Routes(configuration: configuration, store: store, pool: pool, metrics: metrics, audit: audit, reloader: reloader).add(to: router)
        return Application(
            router: router,
            // An idle connection is closed after a minute, so that clients that open and then
            // stall cannot hold connections forever.
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "trellis"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT (then finishes the requests in flight); reloads on SIGHUP.
    ///
    /// - Parameter onListening: called with the port once the server accepts connections.
    public func run(onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws {
        let hangups = reloader.watchHangups()
        defer { hangups.cancel() }
        try await makeApplication(onListening: onListening).runService()
    }
}
