import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Trellis

/// Counts and times every answer, errors included, by route pattern (never the raw path, so
/// that scanning for addresses cannot grow the label set).
///
/// Also writes the access log: a line per request at the `info` level, `POST /v1/evaluate 200
/// 41.2 ms 30 students`: the method, the path (never its query), the status, the time and how
/// many students the answer disclosed, never who they are.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = TrellisRequestContext
    let metrics: ServerMetrics
    let logger: Logger

    /// Set by the routes on an answer that discloses students, and taken off here.
    static let studentCountHeader = HTTPField.Name("X-Trellis-Student-Count")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        metrics.requestStarted()
        defer { metrics.requestFinished() }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ErrorMiddleware.response(for: error)
        }
        let duration = ContinuousClock.now - started
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(route: route, method: request.method.rawValue, status: response.status.code, duration: duration)
        let students = response.headers[Self.studentCountHeader].flatMap { Int($0) }
        response.headers[Self.studentCountHeader] = nil
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        let line = "\(request.method.rawValue) \(TerminalText.escaped(request.uri.path)) \(response.status.code) \(String(format: "%.1f", milliseconds)) ms"
            + (students.map { " \($0) student\($0 == 1 ? "" : "s")" } ?? "")
        logger.info("\(line)")
        return response
    }
}

/// Turns every error into the JSON error body of openapi.yaml, Hummingbird's own (404, 405,
/// 413) included, so that a client reads one shape.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = TrellisRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error)
        }
    }

    static func response(for error: any Error) -> Response {
        switch error {
        case let error as APIError:
            return error.response
        case let error as any HTTPResponseError:
            // Hummingbird's own: an unknown route, a wrong method, a body over the limit.
            let (code, message): (String, String) =
                switch error.status {
                case .notFound: ("not_found", "no such endpoint (see openapi.yaml)")
                case .methodNotAllowed: ("method_not_allowed", "this endpoint does not take that method")
                case .contentTooLarge: ("too_large", "the body is larger than the server takes")
                default: ("http_error", (error as? HTTPError)?.body ?? error.status.reasonPhrase)
                }
            return APIError(status: error.status, code: code, message: message).response
        default:
            return APIError(status: .internalServerError, code: "internal", message: "internal error: \(error)").response
        }
    }
}

/// Lets a request through only with one of the server's bearer tokens, and notes whose it is.
/// `/healthz` stays open, for load balancers and probes that hold no secret.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = TrellisRequestContext
    let tokens: AccessTokens

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        guard let identity = tokens.identity(forAuthorization: request.headers[.authorization]) else {
            let missing = request.headers[.authorization] == nil
            throw APIError(
                status: .unauthorized, code: "unauthorized",
                message: missing ? "this server needs a bearer token: Authorization: Bearer TOKEN" : "the token is not one this server accepts",
                headers: [.wwwAuthenticate: "Bearer realm=\"trellis\""])
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }
}
