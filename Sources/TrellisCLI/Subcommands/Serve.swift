import ArgumentParser
import Foundation
import Logging
import Synchronization
import Trellis
import TrellisServer

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve evaluations over HTTP (see docs/server.md and openapi.yaml).",
        discussion: """
            Listens on 127.0.0.1 unless --host says otherwise; any other address needs a bearer token \
            (--token-file, TRELLIS_TOKEN or --token). SIGHUP or POST /v1/reload reloads the rules and the \
            configuration; a broken pack is refused and the old one keeps serving. SIGTERM or SIGINT stops \
            the server after the requests in flight.

            Exit codes: 0 stopped by a signal; 2 the rules, the configuration, the audit log or the history cannot be used; \
            64 a wrong command line (an unsafe address without a token among them).
            """
    )

    @OptionGroup var rules: RuleOptions

    @Option(name: .customLong("log-level"), help: ArgumentHelp("What goes to standard error: trace, debug, info (an access-log line per request; the default), notice, warning, error or critical.", valueName: "level"))
    var logLevel: String = "info"

    @Option(help: ArgumentHelp("The address to listen on (default 127.0.0.1; another needs a token).", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port, printed when listening).")
    var port = 8080

    @Option(help: ArgumentHelp("A bearer token clients must send (visible to other users in ps: prefer --token-file or TRELLIS_TOKEN).", valueName: "token"))
    var token: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file of tokens, one a line, each optionally after a name: `name token`.", valueName: "file"), completion: .file())
    var tokenFile: String?

    @Option(name: .customLong("max-body"), help: ArgumentHelp("The largest request body, in bytes, or with k or m (default 8m).", valueName: "size"))
    var maxBody = "8m"

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Milliseconds a request may wait for a worker and run (default 30000).", valueName: "ms"))
    var timeoutMilliseconds = 30_000

    @Option(help: "Evaluations at once, each on a thread of its own (default: the number of cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("max-queue"), help: "Requests that may wait for a worker; more get 503 at once.")
    var maxQueue = 64

    @Option(name: .customLong("max-connections"), help: "Connections held at once; at the cap the one idle the longest is closed to make room.")
    var maxConnections = 1000

    @Option(help: ArgumentHelp("Append the audit log here: a line per request and one per student disclosed (see docs/server.md).", valueName: "file"), completion: .file())
    var audit: String?

    @OptionGroup var history: HistoryOptions

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel): expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = try serverConfiguration()
    }

    func run() throws {
        let finished = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        let command = self
        Task.detached {
            do {
                try await command.serve()
            } catch {
                failure.error = error
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.error { throw error }
    }

    private func serve() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let server: TrellisServer
        do {
            server = try TrellisServer(configuration: try serverConfiguration(), source: try rules.packSource())
        } catch let error as TrellisError {
            Terminal.printUnusable(error)
            throw Exit.unusableInput
        } catch let error as ServerSetupError {
            Terminal.printError(error.description)
            throw Exit.unusableInput
        }
        let host = host
        try await server.run { port in
            // One line on standard output, for scripts and tests that start the server on port 0.
            let line = "trellis serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }

    /// The settings, checked: an unsafe address without a token is a wrong command line.
    private func serverConfiguration() throws -> ServerConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var tokens: AccessTokens?
        do throws(ServerSetupError) {
            if let tokenFile = tokenFile ?? environment["TRELLIS_TOKEN_FILE"] {
                tokens = try AccessTokens(file: tokenFile)
            } else if let token = token ?? environment["TRELLIS_TOKEN"] {
                tokens = try AccessTokens(token: token)
            }
        } catch {
            throw ValidationError(error.description)
        }
        guard let maxBodyBytes = Self.size(maxBody) else { throw ValidationError("--max-body \(maxBody): expected bytes, such as 65536, 512k or 8m") }
        let configuration = ServerConfiguration(
            host: host, port: port, tokens: tokens, maxBodyBytes: maxBodyBytes, requestTimeout: .milliseconds(timeoutMilliseconds),
            workers: workers, maxWaiting: maxQueue, auditPath: audit, maxConnections: maxConnections, historyPath: history.path)
        do throws(ServerSetupError) {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return configuration
    }

    /// `65536`, `512k`, `8m`.
    static func size(_ text: String) -> Int? {
        let lower = text.lowercased()
        let (digits, factor) = lower.hasSuffix("m") ? (lower.dropLast(), 1 << 20) : lower.hasSuffix("k") ? (lower.dropLast(), 1 << 10) : (lower[...], 1)
        guard let value = Int(digits), value > 0, value <= Int.max / factor else { return nil }
        return value * factor
    }
}

/// The error a detached task hands back to the thread waiting for it.
private final class FailureBox: Sendable {
    private let stored = Mutex<(any Error)?>(nil)

    var error: (any Error)? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
