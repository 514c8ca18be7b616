/// A skill's chart as inline SVG: percent correct per session (a point each, filled when the
/// session has enough trials to count), the level or stage as a step line in a lane below,
/// dashed phase-change lines where the level changed, and the criterion line. It is followed by
/// a text description and the numbers as a table, so that no one needs the picture.
///
/// Markup that tests read: the `<svg>` has `data-student` and `data-skill`; each session's mark
/// has class `point`, `data-date` and `data-percent` (empty for a session without trials).
struct SkillChart {
    let studentID: String
    let studentName: String
    let skill: Skill
    let track: SkillTrack?
    let criterion: ReportCriteria.Ladder
    let anchor: String

    private let width = 680.0
    private let left = 108.0
    private let right = 62.0
    private let top = 30.0
    private let plotHeight = 150.0
    private let laneRow = 15.0

    /// The first text of every chart and the last of its description: a test that prints the
    /// report finds both on the same page for each chart, or the chart was cut from its words.
    static let topMarker = "% correct per session"
    static let captionEnd = "(hollow points have fewer trials)."

    func render(into html: inout String) {
        let sessions = skill.sessions
        let ladder = track?.ladder ?? []
        let laneHeight = track == nil ? 0 : Double(ladder.count) * laneRow
        let laneTop = top + plotHeight + 26
        let axisTop = laneTop + laneHeight + (track == nil ? 0 : 6)
        let height = axisTop + 46
        let plotWidth = width - left - right
        let step = sessions.isEmpty ? plotWidth : plotWidth / Double(sessions.count)
        func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * step }
        func y(_ percent: Double) -> Double { top + plotHeight * (1 - percent / 100) }
        func laneY(_ position: Int) -> Double { laneTop + laneHeight - (Double(position) + 0.5) * laneRow }
        let c = HTMLText.coordinate
        let titleID = anchor + "-title"
        let descID = anchor + "-desc"

        html += "<figure class=\"chart\" id=\"\(anchor)\">"
        html += "<svg class=\"skill-chart\" role=\"img\" viewBox=\"0 0 \(c(width)) \(c(height))\" width=\"\(c(width))\" height=\"\(c(height))\""
        html += " aria-labelledby=\"\(titleID)\" aria-describedby=\"\(descID)\""
        html += " data-student=\"\(HTMLText.escape(studentID))\" data-skill=\"\(HTMLText.escape(skill.id))\">"
        html += "<title id=\"\(titleID)\">\(HTMLText.escape(title))</title>"
        html += "<desc id=\"\(descID)\">\(HTMLText.escape(description))</desc>"
        html += "<text class=\"chart-title\" x=\"\(c(left))\" y=\"16\">\(HTMLText.escape(studentName)) · \(HTMLText.escape(skill.id)): \(Self.topMarker)</text>"

        // Percent axis and grid.
        for percent in stride(from: 0.0, through: 100, by: 25) {
            html += "<line class=\"grid\" x1=\"\(c(left))\" x2=\"\(c(width - right))\" y1=\"\(c(y(percent)))\" y2=\"\(c(y(percent)))\"/>"
            html += "<text class=\"axis\" x=\"\(c(left - 6))\" y=\"\(c(y(percent) + 3.5))\" text-anchor=\"end\">\(Int(percent))%</text>"
        }
        // The criterion line.
        let criterionY = y(criterion.percent)
        html += "<line class=\"criterion\" x1=\"\(c(left))\" x2=\"\(c(width - right))\" y1=\"\(c(criterionY))\" y2=\"\(c(criterionY))\"/>"
        // Beside the plot, not over it: it never hides a point.
        html += "<text class=\"criterion-label\" x=\"\(c(width - right + 6))\" y=\"\(c(criterionY - 2))\">criterion</text>"
        html += "<text class=\"criterion-label\" x=\"\(c(width - right + 6))\" y=\"\(c(criterionY + 10))\">\(JSONText.number(criterion.percent))%</text>"

        // The lane: the ladder's levels and the step line.
        if let track {
            for (position, level) in ladder.enumerated() {
                let rowY = laneY(position)
                html += "<line class=\"lane-grid\" x1=\"\(c(left))\" x2=\"\(c(width - right))\" y1=\"\(c(rowY))\" y2=\"\(c(rowY))\"/>"
                html += "<text class=\"lane-label\" x=\"\(c(left - 6))\" y=\"\(c(rowY + 3.5))\" text-anchor=\"end\">\(HTMLText.escape(ReportWords.level(level)))</text>"
            }
            html += "<text class=\"lane-title\" x=\"\(c(left))\" y=\"\(c(laneTop - 5))\">\(track.ladderName == .prompt ? "Prompt level" : "Stage")</text>"
            var path = ""
            for (index, session) in sessions.enumerated() {
                guard let position = track.position(of: track.level(of: session)) else { continue }
                let y = laneY(position)
                path += path.isEmpty || index > 0 && track.position(of: track.level(of: sessions[index - 1])) == nil ? "M" : "L"
                path += "\(c(x(index) - step / 2)) \(c(y))L\(c(x(index) + step / 2)) \(c(y))"
            }
            if !path.isEmpty { html += "<path class=\"step\" d=\"\(path)\"/>" }
        }

        // Phase-change lines where the level changed from one session to the next.
        if let track {
            for index in sessions.indices.dropFirst() {
                let before = track.level(of: sessions[index - 1])
                let now = track.level(of: sessions[index])
                guard let now, before != now else { continue }
                let lineX = x(index) - step / 2
                html += "<line class=\"phase\" x1=\"\(c(lineX))\" x2=\"\(c(lineX))\" y1=\"\(c(top - 6))\" y2=\"\(c(laneTop + laneHeight))\"/>"
                html += "<text class=\"phase-label\" x=\"\(c(lineX + 3))\" y=\"\(c(top + 4))\">→ \(HTMLText.escape(ReportWords.level(now)))</text>"
            }
        }

        // The data path, broken at phase changes and at sessions without trials (ABA convention:
        // a line never crosses a phase change).
        var path = ""
        var previousLevel: String?
        var drawing = false
        for (index, session) in sessions.enumerated() {
            let level = track?.level(of: session)
            guard let percent = SkillTrack.percent(session) else {
                drawing = false
                previousLevel = level
                continue
            }
            let continues = drawing && (track == nil || level == previousLevel)
            path += "\(continues ? "L" : "M")\(c(x(index))) \(c(y(percent)))"
            drawing = true
            previousLevel = level
        }
        if !path.isEmpty { html += "<path class=\"data\" d=\"\(path)\"/>" }

        // The points, and the dates and trials under the axis.
        let labelEvery = max(1, Int((Double(sessions.count) / 14).rounded(.up)))
        for (index, session) in sessions.enumerated() {
            let percent = SkillTrack.percent(session)
            let date = HTMLText.escape(session.date ?? "")
            let percentText = percent.map(HTMLText.percent) ?? ""
            let tip = HTMLText.escape(pointTitle(session, percent: percent))
            if let percent {
                let counts = (session.trials ?? 0) >= criterion.minTrials
                html += "<circle class=\"point\(counts ? "" : " few")\" cx=\"\(c(x(index)))\" cy=\"\(c(y(percent)))\" r=\"4.5\""
                html += " data-date=\"\(date)\" data-percent=\"\(percentText)\"><title>\(tip)</title></circle>"
            } else {
                let cx = x(index)
                let cy = y(0)
                html += "<path class=\"point none\" d=\"M\(c(cx - 4)) \(c(cy - 4))L\(c(cx + 4)) \(c(cy + 4))M\(c(cx - 4)) \(c(cy + 4))L\(c(cx + 4)) \(c(cy - 4))\""
                html += " data-date=\"\(date)\" data-percent=\"\"><title>\(tip)</title></path>"
            }
            if index % labelEvery == 0 || index == sessions.count - 1 {
                html += "<text class=\"axis\" x=\"\(c(x(index)))\" y=\"\(c(axisTop + 10))\" text-anchor=\"middle\">\(HTMLText.escape(ReportWords.shortDate(session.date)))</text>"
                html += "<text class=\"trials\" x=\"\(c(x(index)))\" y=\"\(c(axisTop + 22))\" text-anchor=\"middle\">\(session.trials.map(String.init) ?? "–")</text>"
            }
        }
        if sessions.isEmpty {
            html += "<text class=\"empty\" x=\"\(c(left + plotWidth / 2))\" y=\"\(c(top + plotHeight / 2))\" text-anchor=\"middle\">no sessions recorded yet</text>"
        }
        html += "<text class=\"axis-title\" x=\"\(c(left))\" y=\"\(c(axisTop + 38))\">Session date · trials</text>"
        html += "</svg>"
        html += "<figcaption>\(HTMLText.escape(description))</figcaption>"
        html += "</figure>"
        renderTable(into: &html)
    }

    var title: String {
        "\(studentName), \(skill.id): percent correct per session"
    }

    private func pointTitle(_ session: Session, percent: Double?) -> String {
        var text = session.date ?? "no date"
        if let percent {
            text += ": \(HTMLText.readablePercent(percent))% correct (\(session.correct ?? 0) of \(session.trials ?? 0) trials)"
        } else {
            text += ": no trials recorded"
        }
        if let level = track?.level(of: session) { text += ", \(ReportWords.level(level))" }
        return text
    }

    /// The chart in words: the span, the range, the level changes, the newest session and the criterion.
    var description: String {
        let sessions = skill.sessions
        guard let first = sessions.first, let last = sessions.last else {
            return "\(studentName) has no sessions of \(skill.id) yet. Criterion: \(JSONText.number(criterion.percent))% correct with at least \(criterion.minTrials) trials \(Self.captionEnd)"
        }
        var parts: [String] = []
        let span = sessions.count == 1 ? "1 session, on \(first.date ?? "no date")" : "\(sessions.count) sessions, from \(first.date ?? "no date") to \(last.date ?? "no date")"
        parts.append("\(studentName), \(skill.id): \(span).")
        let percents = sessions.compactMap(SkillTrack.percent)
        if let low = percents.min(), let high = percents.max() {
            parts.append(low == high ? "Every session with trials: \(HTMLText.readablePercent(low))% correct." : "Percent correct from \(HTMLText.readablePercent(low))% to \(HTMLText.readablePercent(high))%.")
        }
        if let track {
            var changes: [String] = []
            for index in sessions.indices.dropFirst() {
                let now = track.level(of: sessions[index])
                if let now, now != track.level(of: sessions[index - 1]) {
                    changes.append("to \(ReportWords.level(now)) on \(sessions[index].date ?? "an undated session")")
                }
            }
            let levelWord = track.ladderName.levelWord
            if let startLevel = track.level(of: first) {
                parts.append(changes.isEmpty
                    ? "The \(levelWord) was \(ReportWords.level(startLevel)) throughout."
                    : "The \(levelWord) started at \(ReportWords.level(startLevel)) and changed \(changes.joined(separator: ", ")).")
            }
        }
        if let percent = SkillTrack.percent(last) {
            parts.append("Newest: \(HTMLText.readablePercent(percent))% correct of \(last.trials ?? 0) trials.")
        }
        parts.append("Criterion: \(JSONText.number(criterion.percent))% correct with at least \(criterion.minTrials) trials \(Self.captionEnd)")
        return parts.joined(separator: " ")
    }

    private func renderTable(into html: inout String) {
        guard !skill.sessions.isEmpty else { return }
        html += "<details class=\"numbers\"><summary>The numbers: \(ReportWords.count(skill.sessions.count, "session"))</summary>"
        html += "<table class=\"numbers-table\"><caption>\(HTMLText.escape(title))</caption><thead><tr>"
        html += "<th scope=\"col\">Date</th><th scope=\"col\">% correct</th><th scope=\"col\">Correct</th><th scope=\"col\">Trials</th>"
        if let track { html += "<th scope=\"col\">\(track.ladderName == .prompt ? "Prompt level" : "Stage")</th>" }
        html += "<th scope=\"col\">Setting</th><th scope=\"col\">Staff</th></tr></thead><tbody>"
        for session in skill.sessions {
            html += "<tr><td>\(HTMLText.escape(session.date ?? ""))</td>"
            html += "<td class=\"num\">\(SkillTrack.percent(session).map { HTMLText.percent($0) + "%" } ?? "no trials")</td>"
            html += "<td class=\"num\">\(session.correct.map(String.init) ?? "")</td><td class=\"num\">\(session.trials.map(String.init) ?? "")</td>"
            if let track { html += "<td>\(HTMLText.escape(track.level(of: session).map(ReportWords.level) ?? ""))</td>" }
            html += "<td>\(HTMLText.escape(session.setting ?? ""))</td><td>\(HTMLText.escape(session.staff ?? ""))</td></tr>"
        }
        html += "</tbody></table></details>"
    }
}
