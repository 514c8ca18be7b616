/// Section 2: one printable page per staff member: each student and skill they work with (they
/// ran one of its newest 5 sessions), the level or stage to use today, and what comes next if
/// today goes well.
extension ReportRenderer {
    /// Sessions, newest first, in which a staff member's name makes the skill theirs.
    static let staffSessionWindow = 5

    struct StaffRow {
        var entry: ReportModel.StudentEntry
        var skill: Skill
        var track: SkillTrack?
    }

    func staffRows(for member: String) -> [StaffRow] {
        var rows: [StaffRow] = []
        for entry in model.students {
            for skill in entry.student.skills where skill.sessions.suffix(Self.staffSessionWindow).contains(where: { $0.staff == member }) {
                rows.append(StaffRow(entry: entry, skill: skill, track: SkillTrack(skill: skill, result: entry.result, ladders: model.context.ladders, criteria: model.criteria)))
            }
        }
        return rows
    }

    mutating func renderStaffSheets() {
        for member in model.staff {
            let rows = staffRows(for: member)
            let anchor = HTMLText.anchor("staff-", member)
            html += "<section class=\"page staff-sheet\" id=\"\(anchor)\" aria-labelledby=\"\(anchor)-h\">"
            html += "<h2 id=\"\(anchor)-h\">Staff sheet: \(HTMLText.escape(member)) <span class=\"sub\">\(HTMLText.escape(model.classTitle)) · \(HTMLText.escape(ReportWords.longDate(model.context.asOf)))</span></h2>"
            if rows.isEmpty {
                html += "<p class=\"empty-note\">No student's newest sessions name \(HTMLText.escape(member)).</p></section>"
                continue
            }
            let goesWell = rows.compactMap(\.track).first?.criterionWords ?? "the criterion met"
            html += "<p class=\"lede\">\(ReportWords.count(Set(rows.map(\.entry.student.id)).count, "student")), \(ReportWords.count(rows.count, "skill")). "
            html += "Use the level in bold today. Today goes well: \(HTMLText.escape(goesWell)).</p>"
            html += "<table class=\"staff-table\"><thead><tr><th scope=\"col\">Student</th><th scope=\"col\">Skill</th><th scope=\"col\">Use today</th>"
            html += "<th scope=\"col\">Today's decision</th><th scope=\"col\">If today goes well</th></tr></thead><tbody>"
            var previous: String?
            for row in rows {
                let firstOfStudent = previous != row.entry.student.id
                previous = row.entry.student.id
                html += "<tr\(firstOfStudent ? " class=\"first\"" : "")><th scope=\"row\">"
                if firstOfStudent { html += "<a href=\"#\(row.entry.anchor)\">\(HTMLText.escape(row.entry.name))</a>" }
                html += "</th><td>\(HTMLText.escape(row.skill.id))</td>"
                if let track = row.track {
                    let today = track.today.map(ReportWords.level) ?? "not recorded"
                    html += "<td><span class=\"ladder-word\">\(track.ladderName == .prompt ? "prompt" : "stage")</span> <strong>\(HTMLText.escape(today))</strong></td>"
                    if let recommendation = track.recommendation {
                        html += "<td><span class=\"badge \(badgeClass(recommendation))\">\(HTMLText.escape(ReportWords.badge(recommendation)))</span>"
                        if let change = ReportWords.change(recommendation) { html += " \(HTMLText.escape(change))" }
                        html += "<div class=\"reason\">\(HTMLText.escape(recommendation.reason))</div></td>"
                    } else {
                        html += "<td>no decision</td>"
                    }
                    html += "<td>\(HTMLText.escape(track.nextIfTodayGoesWell))</td>"
                } else {
                    html += "<td>no level recorded</td><td>no decision</td><td>record the prompt level or stage with the session</td>"
                }
                html += "</tr>"
            }
            html += "</tbody></table>"
            renderOtherItems(for: rows)
            html += "</section>"
        }
    }

    /// The other actions for the same students and skills (check-ins, probes, reviews): the
    /// staff member is the one who will see the student.
    private mutating func renderOtherItems(for rows: [StaffRow]) {
        var lines: [String] = []
        var seen = Set<String>()
        for row in rows where seen.insert(row.entry.student.id + "\u{0}" + row.skill.id).inserted {
            for recommendation in row.entry.result.recommendations
            where recommendation.skill == row.skill.id && recommendation.kind != "prompt" && recommendation.kind != "scaffold"
                && ReportCategory(recommendation) == .action
            {
                lines.append(
                    "<li><span class=\"badge \(badgeClass(recommendation))\">\(HTMLText.escape(ReportWords.badge(recommendation)))</span> "
                        + "\(HTMLText.escape(row.entry.name)), \(HTMLText.escape(row.skill.id)): \(HTMLText.escape(recommendation.reason))</li>")
            }
        }
        guard !lines.isEmpty else { return }
        html += "<h3>Also today</h3><ul class=\"plain\">" + lines.joined() + "</ul>"
    }
}
