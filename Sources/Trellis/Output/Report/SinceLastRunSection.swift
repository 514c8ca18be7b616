/// The section `trellis report --history` adds: what changed since the class's previous run in
/// the history, and whether that run's fades, advances and step-backs were followed.
///
/// Each change is an `<li class="since-change">` with `data-student`, `data-skill`, `data-kind`
/// and `data-status` (`new`, `changed`, `gone`); each follow-up an `<li class="follow-up">`
/// with `data-student`, `data-skill`, `data-action` and `data-followed` (`yes`, `no`, `unknown`).
extension ReportRenderer {
    mutating func renderSinceLastRun(_ since: SinceLastRun) {
        html += "<section class=\"page\" id=\"since\" aria-labelledby=\"since-h\"><h2 id=\"since-h\">Since the last run</h2>"
        guard let previous = since.previous else {
            html += "<p class=\"empty-note\">This is the first run of this class recorded in the history \(HTMLText.escape(since.path)): "
                + "the next report will say what changed since this one.</p></section>"
            return
        }
        html += "<p class=\"lede\">Compared with run \(previous.id) in \(HTMLText.escape(since.path)), recorded \(HTMLText.escape(previous.recordedAt)) "
            + "for \(HTMLText.escape(ReportWords.longDate(previous.evaluatedAsOf))).</p>"
        html += "<h3>What is new</h3>"
        if since.changes.isEmpty {
            html += "<p class=\"empty-note\">Nothing: every student has the same recommendations as then.</p>"
        } else {
            html += "<ul class=\"plain since\">"
            for change in since.changes { renderSinceChange(change) }
            html += "</ul>"
        }
        html += "<h3>Were the last run's changes followed?</h3>"
        if since.followUps.isEmpty {
            html += "<p class=\"empty-note\">The last run recommended no fade, advance or step back.</p>"
        } else {
            let followed = since.followUps.filter { $0.followed == true }.count
            let unknown = since.followUps.filter { $0.followed == nil }.count
            html += "<p>\(followed) of \(ReportWords.count(since.followUps.count, "change")) followed, judged from the first session of each skill "
                + "after \(HTMLText.escape(ReportWords.longDate(previous.evaluatedAsOf)))"
                + (unknown > 0 ? "; \(unknown) with no session since" : "") + ".</p><ul class=\"plain since\">"
            for check in since.followUps { renderFollowUp(check) }
            html += "</ul>"
        }
        html += "</section>"
    }

    private mutating func renderSinceChange(_ change: RecommendationChange) {
        let status = change.before == nil ? "new" : change.after == nil ? "gone" : "changed"
        html += "<li class=\"since-change\" data-student=\"\(HTMLText.escape(change.student))\""
        if let skill = change.skill { html += " data-skill=\"\(HTMLText.escape(skill))\"" }
        html += " data-kind=\"\(HTMLText.escape(change.kind))\" data-status=\"\(status)\">"
        html += "<span class=\"who\">\(studentLink(change.student))</span>"
        if let skill = change.skill, !skill.isEmpty { html += " <span class=\"skill\">\(HTMLText.escape(skill))</span>" }
        html += " <span class=\"kind\">\(HTMLText.escape(change.kind))</span>: "
        switch (change.before, change.after) {
        case (nil, let after?): html += "new: \(describe(after))"
        case (let before?, nil): html += "no longer recommended (was: \(describe(before)))"
        case (let before?, let after?): html += "\(describe(after)) (was: \(describe(before)))"
        case (nil, nil): break
        }
        html += "</li>"
    }

    private mutating func renderFollowUp(_ check: SinceLastRun.FollowUpCheck) {
        let recommendation = check.recommendation
        let word = check.followed.map { $0 ? "yes" : "no" } ?? "unknown"
        html += "<li class=\"follow-up\" data-student=\"\(HTMLText.escape(check.student))\" data-skill=\"\(HTMLText.escape(check.skill))\""
        html += " data-action=\"\(HTMLText.escape(recommendation.action))\" data-followed=\"\(word)\">"
        html += "<span class=\"who\">\(studentLink(check.student))</span> <span class=\"skill\">\(HTMLText.escape(check.skill))</span> "
        html += describe(recommendation) + ": "
        switch check.followed {
        case true?: html += "<strong>followed</strong>"
        case false?: html += "<strong>not followed</strong>: the next session was at another level"
        case nil: html += "<strong>not known yet</strong>: no session since"
        }
        html += "</li>"
    }

    /// `fade gestural → verbal (prompt-fading)`, escaped.
    private func describe(_ recommendation: Recommendation) -> String {
        var words = ReportWords.action(recommendation.action)
        if let options = recommendation.options {
            words += " " + options.map(\.id).joined(separator: ", ")
        } else if let change = ReportWords.change(recommendation) {
            words += " " + change
        }
        return HTMLText.escape("\(words) (\(recommendation.rule))")
    }

    private func studentLink(_ id: String) -> String {
        let name = HTMLText.escape(model.name(of: id))
        guard let entry = model.student(id) else { return name }
        return "<a href=\"#\(entry.anchor)\">\(name)</a>"
    }
}
