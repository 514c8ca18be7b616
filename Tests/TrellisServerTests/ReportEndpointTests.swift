import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trellis

@testable import TrellisServer

/// `POST /v1/report`: the same HTML as `trellis report` for the posted class.
@Suite struct ReportEndpointTests {
    @Test func aPostedClassGetsTheReportTheCommandLineWrites() async throws {
        let engine = try Engine()
        let roster = try RosterReader.read(Array(Support.exampleClass), sourceName: "body")
        let expected = ClassReport(roster: roster, evaluation: engine.evaluate(roster), parameters: engine.parameterValues).html()
        try await Support.server().makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/report", method: .post, headers: Support.jsonHeaders, body: Support.body(Support.exampleClass))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: response.body) == expected)
            #expect(response.headers[HTTPField.Name("X-Trellis-Rule-Pack")!]?.count == 64)
        }
    }

    @Test func aBrokenBodyIsABadRequestNotAPage() async throws {
        try await Support.server().makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/report", method: .post, headers: Support.jsonHeaders, body: Support.body("{\"students\": ["))
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/json")
        }
    }
}
