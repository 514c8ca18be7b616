import ArgumentParser
import Foundation
import Trellis

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show, for one student, every rule's outcome, the evidence it used, and which recommendation won over which.",
        discussion: "Exit codes: 0 explained; 1 no student has that id, or its record is invalid; 2 the input or the rules cannot be used."
    )

    @Option(help: ArgumentHelp("The student's id.", valueName: "id"))
    var student: String

    @OptionGroup var rules: RuleOptions

    @Option(name: .customLong("class"), help: ArgumentHelp("Class-level fields (as_of, ladders, catalog) for NDJSON input.", valueName: "file"), completion: .file())
    var classHeader: String?

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format: OutputStyle = .text

    @Argument(help: ArgumentHelp("The class document, or an NDJSON roster with --class.", valueName: "input"), completion: .file())
    var input: String

    func run() throws {
        let (engine, settings) = try rules.makeEngine()
        let roster: Roster
        do throws(TrellisError) {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw TrellisError(issues: [TrellisIssue(kind: .invalidInput, message: "cannot read the file", location: input)])
            }
            let ladders = settings?.ladders ?? Ladders()
            var header: ClassContext?
            if let classHeader {
                guard let headerData = FileManager.default.contents(atPath: classHeader) else {
                    throw TrellisError(issues: [TrellisIssue(kind: .invalidInput, message: "cannot read the class file", location: classHeader)])
                }
                header = try RosterReader.readHeader(Array(headerData), sourceName: classHeader, ladders: ladders)
            }
            roster = try RosterReader.read(Array(data), sourceName: input, header: header, ladders: ladders)
        } catch {
            Terminal.printError("the input cannot be used:\n" + error.description)
            throw Exit.unusableInput
        }
        guard let explanation = engine.explain(student: student, in: roster) else {
            Terminal.printError("no student has the id \(student) in \(input)")
            throw Exit.evaluatedWithErrors
        }
        switch format {
        case .text: Terminal.printOut(ExplanationText.render(explanation), terminator: "")
        case .json: print(ExplanationText.json(explanation).jsonText)
        }
        if !explanation.inputIssues.isEmpty { throw Exit.evaluatedWithErrors }
    }
}

enum ExplanationText {
    /// The explanation for people. Every value in it is a rule's or the input's text, escaped
    /// for the terminal (`TerminalText`), so a reason cannot break a line or drive the screen.
    static func render(_ explanation: Explanation) -> String {
        let e = { (text: String) in TerminalText.escaped(text) }
        var text = "\(e(explanation.student)), as of \(e(explanation.asOf))\n"
        if !explanation.inputIssues.isEmpty {
            text += "\nThe record is invalid, so no rule ran:\n" + explanation.inputIssues.map { "  \($0)\n" }.joined()
            return text
        }
        for outcome in explanation.rules {
            text += "\n\(e(outcome.rule.id))  (priority \(JSONValue.number(outcome.rule.priority).jsonText), \(e(outcome.rule.path)))\n"
            for decision in outcome.recommendations {
                let recommendation = decision.recommendation
                var change = recommendation.from.map { $0 + (recommendation.to.map { " -> " + $0 } ?? "") } ?? recommendation.to.map { "-> " + $0 } ?? ""
                if let options = recommendation.options { change = options.map(\.id).joined(separator: ", ") }
                let fate: String
                if decision.won {
                    fate = decision.against.isEmpty ? "chosen" : "chosen over " + decision.against.map { "\($0.rule) (\($0.action))" }.joined(separator: ", ") + ": " + (decision.why ?? "")
                } else {
                    fate = "overridden by " + decision.against.map { "\($0.rule) (\($0.action))" }.joined(separator: ", ") + ": " + (decision.why ?? "")
                }
                text += "  \(e(recommendation.skill ?? "-"))  \(e(recommendation.kind)) \(e(recommendation.action))  \(e(change))  [\(e(fate))]\n"
                text += "    why: \(e(recommendation.reason))\n"
                if let evidence = recommendation.evidence { text += "    evidence: \(evidence.jsonText)\n" }
            }
            for note in outcome.notes { text += "  \(e(note.skill ?? "-"))  decided nothing: \(e(note.message))\n" }
            for error in outcome.errors { text += "  FAILED: \(e(error.message)) (\(e(error.location ?? outcome.rule.path)))\n" }
            for message in outcome.logs { text += "  log: \(e(message))\n" }
            if outcome.recommendations.isEmpty && outcome.notes.isEmpty && outcome.errors.isEmpty { text += "  nothing for this student\n" }
        }
        if !explanation.classRecommendations.isEmpty {
            text += "\nFor the class, naming \(e(explanation.student)):\n"
            for recommendation in explanation.classRecommendations {
                text += "  \(e(recommendation.skill ?? "-"))  \(e(recommendation.kind)) \(e(recommendation.action))  (\(e(recommendation.rule)))\n"
                text += "    why: \(e(recommendation.reason))\n"
            }
        }
        return text
    }

    static func json(_ explanation: Explanation) -> JSONValue {
        .object([
            "student": .string(explanation.student), "as_of": .string(explanation.asOf),
            "errors": .array(explanation.inputIssues.map { .string($0.description) }),
            "class_recommendations": .array(explanation.classRecommendations.map { recommendation in
                .object([
                    "rule": .string(recommendation.rule), "skill": recommendation.skill.map(JSONValue.string) ?? .null,
                    "kind": .string(recommendation.kind), "action": .string(recommendation.action), "reason": .string(recommendation.reason),
                ])
            }),
            "rules": .array(explanation.rules.map { outcome in
                .object([
                    "id": .string(outcome.rule.id), "priority": .number(outcome.rule.priority),
                    "recommendations": .array(outcome.recommendations.map { decision in
                        var fields: [String: JSONValue] = [
                            "skill": decision.recommendation.skill.map(JSONValue.string) ?? .null, "kind": .string(decision.recommendation.kind),
                            "action": .string(decision.recommendation.action), "reason": .string(decision.recommendation.reason),
                            "status": .string(decision.won ? "won" : "overridden"),
                            "against": .array(decision.against.map { .object(["rule": .string($0.rule), "action": .string($0.action)]) }),
                        ]
                        fields["from"] = decision.recommendation.from.map(JSONValue.string)
                        fields["to"] = decision.recommendation.to.map(JSONValue.string)
                        fields["evidence"] = decision.recommendation.evidence
                        fields["why"] = decision.why.map(JSONValue.string)
                        return .object(fields)
                    }),
                    "notes": .array(outcome.notes.map { .object(["skill": $0.skill.map(JSONValue.string) ?? .null, "message": .string($0.message)]) }),
                    "errors": .array(outcome.errors.map { .object(["message": .string($0.message), "location": $0.location.map(JSONValue.string) ?? .null]) }),
                    "logs": .array(outcome.logs.map(JSONValue.string)),
                ])
            }),
        ])
    }
}
