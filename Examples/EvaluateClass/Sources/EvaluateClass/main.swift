import Foundation
import Trellis

// Usage: EvaluateClass CLASS.json — prints each student's recommendations.
let path = CommandLine.arguments.dropFirst().first ?? "../../examples/class-3b.json"
do {
    let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    let roster = try RosterReader.read(bytes, sourceName: path)
    let engine = try Engine()
    let report = engine.evaluate(roster, jobs: 2)
    for result in report.results {
        for recommendation in result.recommendations {
            print("\(result.student)\t\(recommendation.skill ?? "-")\t\(recommendation.kind) \(recommendation.action)\t\(recommendation.reason)")
        }
    }
    for issue in report.issues { print("error: \(issue)") }
    print("\(report.summary.students) students, \(report.summary.recommendations) recommendations")
} catch {
    print("error: \(error)")
    exit(2)
}
