/// Section 4: a page per student: today's recommendations with their reasons and evidence, a
/// chart for each skill, self-assessment lights, goals and reflections, and the choice menus.
extension ReportRenderer {
    mutating func renderStudentPages() {
        for entry in model.students { renderStudentPage(entry) }
    }

    private mutating func renderStudentPage(_ entry: ReportModel.StudentEntry) {
        let student = entry.student
        html += "<section class=\"page student\" id=\"\(entry.anchor)\" aria-labelledby=\"\(entry.anchor)-h\">"
        html += "<h2 id=\"\(entry.anchor)-h\">\(HTMLText.escape(entry.name))"
        if student.name != nil { html += " <span class=\"sub\">\(HTMLText.escape(student.id))</span>" }
        html += "</h2>"
        var facts: [String] = []
        if !student.flags.isEmpty { facts.append("Flags: " + student.flags.map(HTMLText.escape).joined(separator: ", ")) }
        if !student.preferredModalities.isEmpty { facts.append("Prefers: " + student.preferredModalities.map(HTMLText.escape).joined(separator: ", ")) }
        facts.append(ReportWords.count(student.skills.count, "skill"))
        html += "<p class=\"lede\">\(facts.joined(separator: " · "))</p>"

        renderToday(entry)
        renderLights(entry)
        renderGoals(entry)
        renderMenus(entry)
        for skill in student.skills {
            let track = SkillTrack(skill: skill, result: entry.result, ladders: model.context.ladders, criteria: model.criteria)
            html += "<div class=\"skill-block\"><h3>\(HTMLText.escape(skill.id))"
            var about: [String] = []
            if let domain = skill.domain { about.append(HTMLText.escape(domain)) }
            if let track, let current = track.current { about.append("\(track.ladderName.levelWord) \(HTMLText.escape(ReportWords.level(current)))") }
            if let track, let today = track.today, today != track.current { about.append("today \(HTMLText.escape(ReportWords.level(today)))") }
            if !about.isEmpty { html += " <span class=\"sub\">\(about.joined(separator: " · "))</span>" }
            html += "</h3>"
            let chart = SkillChart(
                studentID: student.id, studentName: entry.name, skill: skill, track: track, criterion: track?.criterion ?? model.criteria.prompt,
                anchor: HTMLText.anchor("chart-\(entry.anchor)-", skill.id))
            chart.render(into: &html)
            html += "</div>"
        }
        renderStudentUndecided(entry)
        html += "</section>"
    }

    /// Every winning recommendation for the student, and the class-level ones that name them.
    private mutating func renderToday(_ entry: ReportModel.StudentEntry) {
        let classItems = (model.classResult?.recommendations ?? []).map(ReportItem.classLevel).filter { $0.studentIDs.contains(entry.student.id) }
        let recommendations = entry.result.recommendations.filter { $0.kind != "choices" } + classItems.map(\.recommendation)
        html += "<h3>Today</h3>"
        guard !recommendations.isEmpty else {
            html += "<p class=\"empty-note\">No recommendation today.</p>"
            return
        }
        html += "<ul class=\"today-list\">"
        for recommendation in recommendations {
            html += "<li><span class=\"badge \(badgeClass(recommendation))\">\(HTMLText.escape(ReportWords.badge(recommendation)))</span> "
            if let skill = recommendation.skill, !skill.isEmpty { html += "<span class=\"skill\">\(HTMLText.escape(skill))</span> " }
            if let change = ReportWords.change(recommendation) { html += "<span class=\"change\">\(HTMLText.escape(change))</span> " }
            html += "<span class=\"kind\">(\(HTMLText.escape(recommendation.kind)))</span>"
            if case .array(let ids)? = recommendation.extra["students"] {
                let names = ids.compactMap(\.stringValue).map { HTMLText.escape(model.name(of: $0)) }
                html += " <span class=\"with\">with \(names.joined(separator: " &amp; "))</span>"
            }
            html += "<div class=\"reason\">\(HTMLText.escape(recommendation.reason))</div>"
            if let evidence = recommendation.evidence {
                html += "<details class=\"evidence\"><summary>Evidence (rule \(HTMLText.escape(recommendation.rule)))</summary>"
                EvidenceHTML.render(evidence, into: &html)
                html += "</details>"
            }
            html += "</li>"
        }
        html += "</ul>"
    }

    /// The newest self-assessment of each skill as a light: a coloured circle and its word.
    private mutating func renderLights(_ entry: ReportModel.StudentEntry) {
        var newest: [String: SelfAssessment] = [:]
        var order: [String] = []
        for assessment in entry.student.selfAssessments {
            guard let skill = assessment.skill, assessment.rating != nil else { continue }
            if let held = newest[skill] {
                if (assessment.date ?? "") >= (held.date ?? "") { newest[skill] = assessment }
            } else {
                newest[skill] = assessment
                order.append(skill)
            }
        }
        guard !order.isEmpty else { return }
        html += "<h3>How the student rates their skills</h3><ul class=\"lights\">"
        for skill in order {
            guard let assessment = newest[skill], let rating = assessment.rating else { continue }
            let word = rating.rawValue
            let meaning = rating == .green ? "I've got it" : rating == .yellow ? "I'm not sure" : "I need help"
            html += "<li><svg class=\"light\" width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\"><circle class=\"light-\(word)\" cx=\"9\" cy=\"9\" r=\"8\"/></svg>"
            html += " <strong>\(HTMLText.escape(skill))</strong>: \(word) (“\(meaning)”)"
            if let date = assessment.date { html += " on \(HTMLText.escape(date))" }
            html += "</li>"
        }
        html += "</ul>"
    }

    /// The student's `goals` (an extension field) with their reflections.
    private mutating func renderGoals(_ entry: ReportModel.StudentEntry) {
        guard case .array(let goals)? = entry.student.extra["goals"], !goals.isEmpty else { return }
        html += "<h3>Goals and reflections</h3><ul class=\"goals\">"
        for goal in goals {
            guard case .object(let fields) = goal else { continue }
            let text = fields["text"]?.stringValue ?? fields["id"]?.stringValue ?? "a goal"
            html += "<li><strong>\(HTMLText.escape(text))</strong>"
            var about: [String] = []
            if let status = fields["status"]?.stringValue { about.append(HTMLText.escape(status)) }
            if let skill = fields["skill"]?.stringValue { about.append(HTMLText.escape(skill)) }
            if let id = fields["id"]?.stringValue { about.append("goal " + HTMLText.escape(id)) }
            if !about.isEmpty { html += " <span class=\"sub\">\(about.joined(separator: " · "))</span>" }
            if case .array(let reflections)? = fields["reflections"], !reflections.isEmpty {
                html += "<ul>"
                for reflection in reflections {
                    guard case .object(let parts) = reflection else { continue }
                    html += "<li>\(HTMLText.escape(parts["date"]?.stringValue ?? "undated")): “\(HTMLText.escape(parts["text"]?.stringValue ?? ""))”</li>"
                }
                html += "</ul>"
            } else {
                html += "<div class=\"sub\">no reflection yet</div>"
            }
            html += "</li>"
        }
        html += "</ul>"
    }

    /// Each choice menu, with its options' titles (from the catalog when the menu has none).
    private mutating func renderMenus(_ entry: ReportModel.StudentEntry) {
        let menus = entry.result.recommendations.filter { $0.kind == "choices" }
        guard !menus.isEmpty else { return }
        html += "<h3>Choice menus</h3><div class=\"menus\">"
        for menu in menus {
            html += "<div class=\"menu\"><div class=\"menu-skill\">\(HTMLText.escape(menu.skill ?? "any skill")): choose one</div><ol>"
            for option in menu.options ?? [] {
                let title = option.title ?? model.catalogTitle(option.id) ?? option.id
                html += "<li>\(HTMLText.escape(title))"
                var about = [HTMLText.escape(option.id)]
                if let modality = option.modality { about.append(HTMLText.escape(modality)) }
                html += " <span class=\"sub\">\(about.joined(separator: " · "))</span></li>"
            }
            html += "</ol><div class=\"reason\">\(HTMLText.escape(menu.reason))</div></div>"
        }
        html += "</div>"
    }

    private mutating func renderStudentUndecided(_ entry: ReportModel.StudentEntry) {
        let notes = entry.result.notes
        let errors = entry.result.errors
        guard !notes.isEmpty || !errors.isEmpty else { return }
        html += "<h3>Not decided</h3><ul class=\"plain undecided\">"
        for note in notes { html += "<li>\(HTMLText.escape(UndecidedWords.note(note)))</li>" }
        for error in errors { html += "<li class=\"error\">\(HTMLText.escape(UndecidedWords.error(error)))</li>" }
        html += "</ul>"
    }
}

/// A rule's `evidence` (any JSON) as HTML: sessions as `date: percent% (correct of trials)`,
/// objects as term and value, lists as lists.
enum EvidenceHTML {
    static func render(_ value: JSONValue, into html: inout String, depth: Int = 0) {
        switch value {
        case .object(let fields):
            if let session = sessionText(fields) {
                html += HTMLText.escape(session)
                return
            }
            html += "<dl>"
            for key in fields.keys.sorted() {
                html += "<dt>\(HTMLText.escape(key.replacing("_", with: " ")))</dt><dd>"
                render(fields[key] ?? .null, into: &html, depth: depth + 1)
                html += "</dd>"
            }
            html += "</dl>"
        case .array(let items):
            if items.isEmpty {
                html += "none"
                return
            }
            if items.allSatisfy({ if case .object = $0 { false } else if case .array = $0 { false } else { true } }) {
                html += items.map { HTMLText.escape(scalarText($0)) }.joined(separator: ", ")
                return
            }
            html += "<ul>"
            for item in items {
                html += "<li>"
                render(item, into: &html, depth: depth + 1)
                html += "</li>"
            }
            html += "</ul>"
        default: html += HTMLText.escape(scalarText(value))
        }
    }

    private static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .null: "none"
        case .bool(let flag): flag ? "yes" : "no"
        case .integer(let number): String(number)
        case .number(let number): JSONText.number(number)
        case .string(let text): text
        case .array, .object: value.jsonText
        }
    }

    /// `2026-11-13: 90% (9 of 10 trials)` for a session summary of `trellis.sessions.evidence`.
    private static func sessionText(_ fields: [String: JSONValue]) -> String? {
        guard let date = fields["date"]?.stringValue, let percent = fields["percent"]?.doubleValue, Set(fields.keys).isSubset(of: ["date", "percent", "trials", "correct"]) else {
            return nil
        }
        var text = "\(date): \(JSONText.number(percent))%"
        if let correct = fields["correct"]?.doubleValue, let trials = fields["trials"]?.doubleValue {
            text += " (\(JSONText.number(correct)) of \(JSONText.number(trials)) trials)"
        }
        return text
    }
}
