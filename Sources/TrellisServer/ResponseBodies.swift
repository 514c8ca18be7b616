import Foundation
import HTTPTypes
import Hummingbird
import Trellis

/// The JSON bodies the server writes besides the contract's output document.
enum ResponseBodies {
    /// `{"status": 400, "error": "invalid_input", "message": "...", "issues": [...]}`: every
    /// error answer has this shape (see openapi.yaml, `Error`).
    static func error(_ status: HTTPResponse.Status, code: String, message: String, issues: [JSONValue] = []) -> Response {
        json(.object([
            "status": .integer(Int64(status.code)), "error": .string(code), "message": .string(message), "issues": .array(issues),
        ]), status: status)
    }

    static func issue(_ issue: TrellisIssue) -> JSONValue {
        var fields: [String: JSONValue] = ["message": .string(issue.message), "kind": .string(issue.kind.rawValue)]
        fields["location"] = issue.location.map(JSONValue.string)
        fields["path"] = issue.path.map(JSONValue.string)
        fields["student"] = issue.student.map(JSONValue.string)
        fields["rule"] = issue.rule.map(JSONValue.string)
        return .object(fields)
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        text(value.jsonText + "\n", status: status, headers: headers)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "application/json", headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `GET /v1/rules`: every rule with its parameters, their defaults and the values in force.
    static func rules(_ pack: LoadedPack) -> JSONValue {
        let engine = pack.engine
        return .object([
            "rule_pack_sha256": .string(pack.sha256),
            "loaded_at": .string(AuditRecord.timestamp(pack.loadedAt)),
            "replaced_rules": .array(pack.replacements.map { .object(["id": .string($0.id), "bundled_path": .string($0.bundledPath), "path": .string($0.path)]) }),
            "limits": .object([
                "instructions": .integer(engine.limits.instructions), "memory_bytes": .integer(Int64(engine.limits.memoryBytes)),
                "milliseconds": .integer(Int64(engine.limits.milliseconds)),
            ]),
            "rules": .array(engine.rules.map { $0.json(values: engine.parameterValues[$0.id] ?? [:]) }),
        ])
    }

    /// `POST /v1/explain`: every rule's outcome for one student, as `trellis explain --format json`
    /// writes it, with each recommendation's full fields.
    static func explanation(_ explanation: Explanation, packSHA256: String) -> JSONValue {
        .object([
            "student": .string(explanation.student), "as_of": .string(explanation.asOf), "rule_pack_sha256": .string(packSHA256),
            "rules": .array(explanation.rules.map { outcome in
                .object([
                    "id": .string(outcome.rule.id), "priority": .number(outcome.rule.priority), "path": .string(outcome.rule.path),
                    "recommendations": .array(outcome.recommendations.map { decision in
                        var fields = recommendation(decision.recommendation)
                        fields["status"] = .string(decision.won ? "won" : "overridden")
                        fields["against"] = .array(decision.against.map { .object(["rule": .string($0.rule), "action": .string($0.action)]) })
                        fields["why"] = decision.why.map(JSONValue.string)
                        return .object(fields)
                    }),
                    "notes": .array(outcome.notes.map { .object(["skill": $0.skill.map(JSONValue.string) ?? .null, "message": .string($0.message)]) }),
                    "errors": .array(outcome.errors.map(issue)),
                ])
            }),
        ])
    }

    static func recommendation(_ item: Recommendation) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "skill": item.skill.map(JSONValue.string) ?? .null, "kind": .string(item.kind), "action": .string(item.action),
            "rule": .string(item.rule), "priority": .number(item.priority), "reason": .string(item.reason),
        ]
        fields["from"] = item.from.map(JSONValue.string)
        fields["to"] = item.to.map(JSONValue.string)
        fields["evidence"] = item.evidence
        if let options = item.options {
            fields["options"] = .array(options.map { option in
                var members: [String: JSONValue] = ["id": .string(option.id)]
                members["title"] = option.title.map(JSONValue.string)
                members["modality"] = option.modality.map(JSONValue.string)
                return .object(members)
            })
        }
        for (key, value) in item.extra where fields[key] == nil { fields[key] = value }
        return fields
    }
}
