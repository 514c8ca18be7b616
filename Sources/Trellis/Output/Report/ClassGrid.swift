/// Section 3: students by skills. Each cell: the current level or stage as words on a tint that
/// darkens toward independence, a trend mark, a mastered mark and today's action. Skills come
/// in tables of at most `gridColumns` columns, so that a grid fits a printed page.
extension ReportRenderer {
    static let gridColumns = 7

    mutating func renderClassGrid() {
        let skills = model.skillIDs
        html += "<section class=\"page grid-page\" id=\"grid\" aria-labelledby=\"grid-h\">"
        html += "<h2 id=\"grid-h\">Class grid <span class=\"sub\">\(HTMLText.escape(model.classTitle)) · \(HTMLText.escape(ReportWords.longDate(model.context.asOf)))</span></h2>"
        html += "<p class=\"lede\">Each cell: the level or stage now (the tint darkens toward independence), "
        html += "the trend of the newest session against the ones before (▲ improving, ▶ steady, ▼ falling), "
        html += "★ mastered, and today's decision. An empty cell: the student does not work on that skill.</p>"
        renderLegend()
        if skills.isEmpty || model.students.isEmpty {
            html += "<p class=\"empty-note\">No skills recorded.</p></section>"
            return
        }
        var start = 0
        while start < skills.count {
            let columns = Array(skills[start..<min(start + Self.gridColumns, skills.count)])
            let caption = skills.count > Self.gridColumns
                ? "Skills \(start + 1) to \(start + columns.count) of \(skills.count)" : "Every skill of the class"
            html += "<div class=\"grid-wrap\"><table class=\"grid\"><caption>\(caption)</caption><thead><tr><th scope=\"col\">Student</th>"
            for skill in columns { html += "<th scope=\"col\">\(HTMLText.escape(skill))</th>" }
            html += "</tr></thead><tbody>"
            for entry in model.students {
                html += "<tr><th scope=\"row\"><a href=\"#\(entry.anchor)\">\(HTMLText.escape(entry.name))</a></th>"
                for skillID in columns {
                    guard let skill = entry.student.skills.first(where: { $0.id == skillID }) else {
                        html += "<td class=\"none\"><span class=\"visually-hidden\">not working on it</span></td>"
                        continue
                    }
                    renderCell(entry: entry, skill: skill)
                }
                html += "</tr>"
            }
            html += "</tbody></table></div>"
            start += Self.gridColumns
        }
        html += "</section>"
    }

    private mutating func renderCell(entry: ReportModel.StudentEntry, skill: Skill) {
        guard let track = SkillTrack(skill: skill, result: entry.result, ladders: model.context.ladders, criteria: model.criteria) else {
            html += "<td class=\"cell\"><span class=\"lvl-name\">no level</span></td>"
            return
        }
        let tint = track.position(of: track.current).map { Self.tint(position: $0, of: track.ladder.count) } ?? "t-unknown"
        html += "<td class=\"cell \(tint)\"><span class=\"lvl-name\">\(HTMLText.escape(track.current.map(ReportWords.level) ?? "not recorded"))</span>"
        if let trend = track.trend {
            html += " <span class=\"trend\" title=\"\(trend.words)\" aria-label=\"\(trend.words)\">\(trend.mark)</span>"
        }
        if track.isMastered { html += " <span class=\"mastered\">★<span class=\"visually-hidden\"> mastered</span></span>" }
        if let recommendation = track.recommendation {
            html += "<div class=\"today\">\(HTMLText.escape(ReportWords.action(recommendation.action)))"
            if ["fade", "advance", "step_back"].contains(recommendation.action), let to = recommendation.to { html += " → \(HTMLText.escape(ReportWords.level(to)))" }
            html += "</div>"
        }
        html += "</td>"
    }

    /// One of six tints, `t0` (most support) to `t5` (independent), by position on the ladder.
    static func tint(position: Int, of count: Int) -> String {
        guard count > 1 else { return "t5" }
        return "t\(Int((Double(position) / Double(count - 1) * 5).rounded()))"
    }

    private mutating func renderLegend() {
        let ladders = model.context.ladders
        html += "<div class=\"legend\">"
        for (name, ladder) in [("Prompt levels", ladders.prompt), ("Stages", ladders.stage)] {
            html += "<div><span class=\"legend-title\">\(name):</span> "
            for (position, level) in ladder.enumerated() {
                html += "<span class=\"chip \(Self.tint(position: position, of: ladder.count))\">\(HTMLText.escape(ReportWords.level(level)))</span> "
            }
            html += "</div>"
        }
        html += "</div>"
    }
}
