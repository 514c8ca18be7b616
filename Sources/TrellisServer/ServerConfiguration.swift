/// How `trellis serve` listens and what it allows.
public struct ServerConfiguration: Sendable {
    /// The address to bind. Anything but a loopback address needs `tokens`.
    public var host: String
    /// 0 picks a free port (printed when the server is listening).
    public var port: Int
    /// Bearer tokens; nil lets every local caller in, which only a loopback address allows.
    public var tokens: AccessTokens?
    /// The largest request body, in bytes; larger ones get 413.
    public var maxBodyBytes: Int
    /// How long a request may wait for a worker and run, before it gets 503.
    public var requestTimeout: Duration
    /// Evaluations running at once, each on a thread of its own.
    public var workers: Int
    /// Requests that may wait for a worker; more get 503 at once.
    public var maxWaiting: Int
    /// Where to append the audit log (a line per request and one per student disclosed), if anywhere.
    public var auditPath: String?
    /// Where to record each evaluate and report request as a run (a history of runs, docs/time.md), if anywhere.
    public var historyPath: String?
    /// The most connections held at once. At the cap the server accepts no more and closes the
    /// connection idle the longest to make room (docs/server.md). Lowered at start, with a
    /// warning, when the process may not open that many file descriptors.
    public var maxConnections: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tokens: AccessTokens? = nil, maxBodyBytes: Int = 8 << 20,
        requestTimeout: Duration = .seconds(30), workers: Int = 2, maxWaiting: Int = 64, auditPath: String? = nil,
        maxConnections: Int = 1000, historyPath: String? = nil
    ) {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.maxBodyBytes = maxBodyBytes
        self.requestTimeout = requestTimeout
        self.workers = workers
        self.maxWaiting = maxWaiting
        self.auditPath = auditPath
        self.maxConnections = maxConnections
        self.historyPath = historyPath
    }

    /// Refuses what is unsafe or impossible before anything binds: above all, an address other
    /// hosts can reach without a token, since the bodies are students' records.
    public func validate() throws(ServerSetupError) {
        if tokens == nil && !Self.isLoopback(host) {
            throw ServerSetupError(
                "refusing to listen on \(host) without a token: students' records would be open to the network. "
                    + "Give --token-file FILE (or TRELLIS_TOKEN, or --token), or listen on 127.0.0.1.")
        }
        guard (0...65535).contains(port) else { throw ServerSetupError("the port must be from 0 to 65535, not \(port)") }
        guard maxBodyBytes > 0 else { throw ServerSetupError("the body limit must be at least 1 byte") }
        guard requestTimeout > .zero else { throw ServerSetupError("the request timeout must be more than 0") }
        guard workers >= 1 else { throw ServerSetupError("at least 1 worker is needed") }
        guard maxWaiting >= 0 else { throw ServerSetupError("the queue length must not be negative") }
        guard maxConnections >= 1 else { throw ServerSetupError("at least 1 connection must be allowed (--max-connections)") }
    }

    /// `localhost`, `127.0.0.0/8` and `::1`: addresses only this machine reaches.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}
