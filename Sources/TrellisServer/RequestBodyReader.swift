import Foundation
import Hummingbird

/// Reads a request's JSON body within the size limit, before any parsing.
enum RequestBodyReader {
    static func read(_ request: Request, limit: Int) async throws(APIError) -> [UInt8] {
        guard let contentType = request.headers[.contentType] else {
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "send the body as JSON, with Content-Type: application/json")
        }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw APIError(
                status: .unsupportedMediaType, code: "unsupported_media_type",
                message: "the body is \(mediaType.isEmpty ? "of no type" : mediaType); this endpoint takes application/json")
        }
        // A declared length over the limit is refused before a byte of the body is read.
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge(limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge(limit)
        } catch {
            throw APIError(status: .badRequest, code: "unreadable_body", message: "the body could not be read: \(error)")
        }
    }

    private static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "too_large", message: "the body is larger than the \(limit) bytes this server takes (--max-body)")
    }
}
