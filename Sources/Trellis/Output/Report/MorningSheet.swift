/// Section 1: the actions of the day, grouped by staff member and by setting, with names.
/// Holds, menus and plans are counted, not listed (they are on the student pages).
///
/// Each action is an `<li class="action">` with `data-student` (the student's id; the ids
/// separated by spaces when it names several; empty for the whole class), `data-skill` (when it
/// has a skill), `data-kind` and `data-action`.
extension ReportRenderer {
    struct MorningGroup {
        var staff: String?
        var settings: [(setting: String?, items: [ReportItem])]
        var count: Int { settings.reduce(0) { $0 + $1.items.count } }
    }

    /// The actions grouped: staff in the class's order (the class-wide items first, then those
    /// whose staff is not recorded last), settings in order of first appearance.
    func morningGroups(_ actions: [ReportItem]) -> (classWide: [ReportItem], groups: [MorningGroup]) {
        var classWide: [ReportItem] = []
        var byStaff: [String?: [(setting: String?, items: [ReportItem])]] = [:]
        var staffOrder: [String?] = []
        for item in actions {
            if item.isClassLevel && item.studentIDs.isEmpty {
                classWide.append(item)
                continue
            }
            let place = model.place(of: item)
            if byStaff[place.staff] == nil {
                byStaff[place.staff] = []
                staffOrder.append(place.staff)
            }
            if let index = byStaff[place.staff]?.firstIndex(where: { $0.setting == place.setting }) {
                byStaff[place.staff]?[index].items.append(item)
            } else {
                byStaff[place.staff]?.append((place.setting, [item]))
            }
        }
        let known = model.staff.filter { byStaff[$0] != nil }.map(Optional.some)
        let others = staffOrder.filter { $0 != nil && !known.contains($0) }
        let ordered = known + others + (byStaff[nil] == nil ? [] : [nil])
        return (classWide, ordered.map { MorningGroup(staff: $0, settings: byStaff[$0] ?? []) })
    }

    mutating func renderMorningSheet() {
        let items = model.allItems
        let actions = items.filter { $0.category == .action }
        let holds = items.filter { $0.category == .hold }.count
        let menus = items.filter { $0.category == .menu }.count
        let plans = items.filter { $0.category == .plan }.count
        let studentsWithActions = Set(actions.flatMap(\.studentIDs)).count
        let undecided = model.undecidedCount

        html += "<section class=\"page\" id=\"morning\" aria-labelledby=\"morning-h\">"
        html += "<h2 id=\"morning-h\">Morning sheet <span class=\"sub\">\(HTMLText.escape(model.classTitle)) · \(HTMLText.escape(ReportWords.longDate(model.context.asOf)))</span></h2>"
        html += "<ul class=\"counts\">"
        html += "<li><strong>\(ReportWords.count(actions.count, "action"))</strong> for \(ReportWords.count(studentsWithActions, "student")), listed below</li>"
        html += "<li><strong>\(ReportWords.count(holds, "hold"))</strong>: keep the level; the reasons are on the student pages</li>"
        html += "<li><strong>\(ReportWords.count(menus, "choice menu"))</strong> to offer, on the student pages</li>"
        if plans > 0 {
            html += "<li><strong>\(ReportWords.count(plans, "plan"))</strong> for the coordinator (such as the adult support each student needs), "
                + "on the student pages</li>"
        }
        if undecided > 0 { html += "<li><strong>\(ReportWords.count(undecided, "thing"))</strong> could not be decided: <a href=\"#undecided\">see why</a></li>" }
        html += "</ul>"

        let (classWide, groups) = morningGroups(actions)
        if actions.isEmpty {
            html += "<p class=\"empty-note\">No actions today: every skill holds, or there is nothing to decide.</p>"
        }
        if !classWide.isEmpty {
            html += "<div class=\"staff-group\"><h3>Whole staff</h3><ul class=\"actions\">"
            for item in classWide { renderAction(item) }
            html += "</ul></div>"
        }
        for group in groups {
            let who = group.staff.map(HTMLText.escape) ?? "Staff not recorded"
            html += "<div class=\"staff-group\"><h3>\(who) <span class=\"sub\">\(ReportWords.count(group.count, "action"))</span></h3>"
            for (setting, settingItems) in group.settings {
                html += "<h4>\(setting.map { "In the " + HTMLText.escape($0) } ?? "Any setting")</h4><ul class=\"actions\">"
                for item in settingItems { renderAction(item) }
                html += "</ul>"
            }
            html += "</div>"
        }
        html += "</section>"
    }

    private mutating func renderAction(_ item: ReportItem) {
        let recommendation = item.recommendation
        html += "<li class=\"action\" data-student=\"\(HTMLText.escape(item.studentIDs.joined(separator: " ")))\""
        if let skill = recommendation.skill, !skill.isEmpty { html += " data-skill=\"\(HTMLText.escape(skill))\"" }
        html += " data-kind=\"\(HTMLText.escape(recommendation.kind))\" data-action=\"\(HTMLText.escape(recommendation.action))\">"
        html += "<span class=\"badge \(badgeClass(recommendation))\">\(HTMLText.escape(ReportWords.badge(recommendation)))</span> "
        html += "<span class=\"who\">"
        if item.studentIDs.isEmpty {
            html += "Everyone"
        } else {
            html += item.studentIDs.map { id in
                let name = HTMLText.escape(model.name(of: id))
                guard let entry = model.student(id) else { return name }
                return "<a href=\"#\(entry.anchor)\">\(name)</a>"
            }.joined(separator: " &amp; ")
        }
        html += "</span>"
        if let skill = recommendation.skill, !skill.isEmpty { html += " <span class=\"skill\">\(HTMLText.escape(skill))</span>" }
        if let change = ReportWords.change(recommendation) { html += " <span class=\"change\">\(HTMLText.escape(change))</span>" }
        if recommendation.kind == "focus", let message = recommendation.extra["message"]?.stringValue {
            html += "<div class=\"reason\">\(HTMLText.escape(message)) <a href=\"#focus\">The message for the school</a></div>"
        } else {
            html += "<div class=\"reason\">\(HTMLText.escape(recommendation.reason))</div>"
        }
        html += "</li>"
    }

    /// A class for the badge's colour; the badge's text always says the action, so colour is
    /// never the only signal.
    func badgeClass(_ recommendation: Recommendation) -> String {
        switch (ReportCategory(recommendation), recommendation.action) {
        case (.menu, _): "b-menu"
        case (.hold, _): "b-hold"
        case (.plan, _): "b-other"
        case (_, "fade"), (_, "advance"), (_, "mastered"), (_, "start_delay"), (_, "award"): "b-forward"
        case (_, "step_back"), (_, "back_to_zero"), (_, "reopen"): "b-back"
        default: "b-other"
        }
    }
}
