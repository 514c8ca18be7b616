import HTTPTypes
import Hummingbird
import Trellis

/// An error answer: its status, a code a program can switch on, words a person acts on, and the
/// problems found (each with its file:line or line:column and field path where known).
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var issues: [JSONValue] = []
    var headers: HTTPFields = [:]

    var response: Response {
        var response = ResponseBodies.error(status, code: code, message: message, issues: issues)
        for field in headers { response.headers.append(field) }
        return response
    }

    static func invalidInput(_ error: TrellisError) -> APIError {
        APIError(
            status: .badRequest, code: "invalid_input", message: "the body cannot be used: " + (error.issues.first?.description ?? "invalid input"),
            issues: error.issues.map(ResponseBodies.issue))
    }

    static func invalidStudent(_ issues: [TrellisIssue]) -> APIError {
        APIError(
            status: .badRequest, code: "invalid_student", message: "the student's record breaks the contract: " + (issues.first?.description ?? ""),
            issues: issues.map(ResponseBodies.issue))
    }

    /// 431: a header that goes into the audit log is longer than the server records.
    static func headerTooLarge(_ name: HTTPField.Name, size: Int, limit: Int) -> APIError {
        APIError(
            status: .requestHeaderFieldsTooLarge, code: "header_too_large",
            message: "the \(name.rawName) header is \(size) bytes; this server takes at most \(limit) (it is recorded in the audit log)")
    }

    static func from(_ failure: EvaluationPool.Failure, timeout: Duration) -> APIError {
        switch failure {
        case .busy:
            APIError(status: .serviceUnavailable, code: "busy", message: "every worker is busy and the queue is full; try again shortly", headers: [.retryAfter: "1"])
        case .timedOut:
            APIError(status: .serviceUnavailable, code: "timeout", message: "the request was not answered within \(timeout)", headers: [.retryAfter: "1"])
        }
    }
}
