import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Holds the server's connections under `--max-connections`, so that idle connections cannot
/// take every file descriptor (then no connection, `/healthz`'s included, could be accepted).
///
/// At the cap the server stops accepting (the kernel's backlog holds new connections) and makes
/// room by closing the connection that has been idle the longest: one with no request in
/// progress. If every connection is in the middle of a request, the first to finish its answer
/// is closed instead of waiting for its next request. So a flood of idle connections costs
/// clients that left a connection open a reconnect, and a new connection (a health probe's) is
/// always let in soon.
final class ConnectionLimiter: Sendable {
    let limit: Int
    private let metrics: ServerMetrics
    private let state: Mutex<State>

    struct Connection {
        let channel: any Channel
        var requestsInProgress = 0
        var lastActive: ContinuousClock.Instant
    }

    struct State {
        let limit: Int
        /// Accepted and not yet closed, as the accepting side counts them.
        var accepted = 0
        /// Connections being closed to make room, not yet seen closed.
        var closingIDs: Set<ObjectIdentifier> = []
        var connections: [ObjectIdentifier: Connection] = [:]

        /// Whether one more connection should close to make room: the server keeps one place
        /// free under the cap, for the next connection to be let in.
        var isFull: Bool { accepted - closingIDs.count >= limit }
    }

    init(limit: Int, metrics: ServerMetrics) {
        self.limit = max(1, limit)
        self.metrics = metrics
        state = Mutex(State(limit: self.limit))
    }

    /// What Hummingbird asks before accepting: the count of connections accepted and not yet closed.
    var admission: Admission { Admission(limiter: self) }

    struct Admission: AvailableConnectionsDelegate {
        let limiter: ConnectionLimiter

        mutating func connectionOpened() { limiter.changeAccepted(by: 1) }
        mutating func connectionClosed() { limiter.changeAccepted(by: -1) }
        func isAcceptingNewConnections() -> Bool { limiter.state.withLock { $0.accepted < limiter.limit } }
    }

    /// The handler each connection's pipeline gets, after the HTTP codec.
    func makeTracker() -> ConnectionTracker { ConnectionTracker(limiter: self) }

    private func changeAccepted(by change: Int) {
        let victims = state.withLock { state in
            state.accepted += change
            return Self.makeRoom(&state)
        }
        close(victims)
    }

    fileprivate func register(_ channel: any Channel) {
        metrics.connectionOpened()
        state.withLock { $0.connections[ObjectIdentifier(channel)] = Connection(channel: channel, lastActive: .now) }
    }

    fileprivate func unregister(_ id: ObjectIdentifier) {
        metrics.connectionClosed()
        let victims = state.withLock { state in
            state.connections[id] = nil
            state.closingIDs.remove(id)
            return Self.makeRoom(&state)
        }
        close(victims)
    }

    fileprivate func requestStarted(_ id: ObjectIdentifier) {
        state.withLock { state in
            state.connections[id]?.requestsInProgress += 1
            state.connections[id]?.lastActive = .now
        }
    }

    /// A request's answer is written. True when this connection should close now to make room.
    fileprivate func requestFinished(_ id: ObjectIdentifier) -> Bool {
        let closes = state.withLock { state in
            guard var connection = state.connections[id] else { return false }
            connection.requestsInProgress = max(0, connection.requestsInProgress - 1)
            connection.lastActive = .now
            state.connections[id] = connection
            guard connection.requestsInProgress == 0, state.isFull else { return false }
            state.closingIDs.insert(id)
            return true
        }
        if closes { metrics.connectionClosedAtCap() }
        return closes
    }

    /// Marks as closing, and returns, the connections idle the longest, as many as it takes to be
    /// under the cap again; fewer when fewer are idle (then the next to finish an answer closes).
    /// The accepting side and the connections see a close at different moments, so this may
    /// close one more than needed, never one too few.
    private static func makeRoom(_ state: inout State) -> [any Channel] {
        guard state.isFull else { return [] }
        var idle = state.connections.filter { $0.value.requestsInProgress == 0 && !state.closingIDs.contains($0.key) }
        var victims: [any Channel] = []
        while state.isFull, let idlest = idle.min(by: { $0.value.lastActive < $1.value.lastActive }) {
            idle[idlest.key] = nil
            state.closingIDs.insert(idlest.key)
            victims.append(idlest.value.channel)
        }
        return victims
    }

    private func close(_ victims: [any Channel]) {
        for channel in victims {
            metrics.connectionClosedAtCap()
            channel.close(promise: nil)
        }
    }
}

/// Tells the limiter when a connection opens and closes, and when its requests start and end.
final class ConnectionTracker: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limiter: ConnectionLimiter
    private var id: ObjectIdentifier?

    init(limiter: ConnectionLimiter) {
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let id = ObjectIdentifier(channel)
        self.id = id
        limiter.register(channel)
        let limiter = limiter
        channel.closeFuture.whenComplete { _ in limiter.unregister(id) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data), let id { limiter.requestStarted(id) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data), let id, limiter.requestFinished(id) else {
            context.write(data, promise: promise)
            return
        }
        // Closed once its answer is out: a connection that would now wait idle, while others
        // wait to be accepted.
        let written = promise ?? context.eventLoop.makePromise()
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        context.write(data, promise: written)
    }
}
