import Testing
@testable import Trellis

struct ReportCSVTests {
    @Test func fieldsAreQuotedAsRFC4180Says() {
        let recommendation = Recommendation(
            skill: "k", kind: "prompt", action: "hold", from: "verbal", rule: "r", priority: 12.5,
            reason: "said \"wait\", then\nstopped")
        let menu = Recommendation(
            skill: "k", kind: "choices", action: "offer", options: [MenuOption(id: "a"), MenuOption(id: "b")], rule: "m", priority: 10, reason: "plain")
        let report = EvaluationReport(asOf: "2026-11-20", outcomes: [.evaluated(StudentResult(student: "s,1", recommendations: [recommendation, menu]))])
        let text = ReportFormat.csv.render(report)
        #expect(text == """
            student,name,skill,kind,action,from,to,options,option_titles,rule,priority,reason
            "s,1",,k,prompt,hold,verbal,,,,r,12.5,"said ""wait"", then
            stopped"
            "s,1",,k,choices,offer,,,a;b,a;b,m,10,plain

            """)
    }
}
