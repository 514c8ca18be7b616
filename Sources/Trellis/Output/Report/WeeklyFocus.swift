/// The staff's weekly focus skill (the `focus` recommendation of a class-level rule such as the
/// bundled `weekly-focus`), as a message ready to send to the whole school, in plain text and in
/// HTML, with ideas for practising the skill in other settings.
public struct WeeklyFocusMessage: Sendable, Hashable {
    /// The focus skill's id.
    public var skill: String
    /// A subject line for the message.
    public var subject: String
    /// The whole message as plain text (subject line first), for e-mail or a chat.
    public var plainText: String
    /// The same message as an HTML fragment (no `<html>` or `<body>`), every value escaped.
    public var html: String
}

extension WeeklyFocusMessage {
    /// The message for `model`'s focus recommendation; nil when the class has none.
    init?(model: ReportModel) {
        guard let focus = model.classResult?.recommendations.first(where: { $0.kind == "focus" }), let skill = focus.skill, !skill.isEmpty else {
            return nil
        }
        let message = focus.extra["message"]?.stringValue ?? focus.reason
        var settingCounts: [String: Int] = [:]
        var settingOrder: [String] = []
        var skillSettings: [String: Int] = [:]
        var skillSettingOrder: [String] = []
        var skillStaff = Set<String>()
        for entry in model.students {
            for studentSkill in entry.student.skills {
                for session in studentSkill.sessions {
                    guard let setting = session.setting, !setting.isEmpty else { continue }
                    if settingCounts[setting] == nil { settingOrder.append(setting) }
                    settingCounts[setting, default: 0] += 1
                    if studentSkill.id == skill {
                        if skillSettings[setting] == nil { skillSettingOrder.append(setting) }
                        skillSettings[setting, default: 0] += 1
                        if let staff = session.staff, !staff.isEmpty { skillStaff.insert(staff) }
                    }
                }
            }
        }
        let otherSettings = settingOrder.filter { skillSettings[$0] == nil }
        let activities = model.context.catalog.filter { $0.skills.contains(skill) }.map { $0.title ?? $0.id }

        var ideas: [String] = []
        if !skillSettingOrder.isEmpty {
            ideas.append("So far \(skill) has been practised in: " + skillSettingOrder.map { "\($0) (\(ReportWords.count(skillSettings[$0] ?? 0, "session")))" }.joined(separator: ", ") + ".")
        }
        for setting in otherSettings.prefix(4) {
            ideas.append("In the \(setting): build one \(skill) chance into the routine there, and prompt no more than the student's level on the staff sheet.")
        }
        if otherSettings.isEmpty {
            ideas.append("Practise \(skill) at a new time of day or in a place the class has not used for it yet (another room, outdoors, at home).")
        }
        ideas.append("Have a different adult run one \(skill) session this week: a skill shown with one person only is not yet generalised"
            + (skillStaff.isEmpty ? "." : " (so far: \(skillStaff.sorted().joined(separator: ", "))).") )
        ideas.append("Fade one level only where today's sheet says so, and record the level with each session.")
        if !activities.isEmpty { ideas.append("Activities for it in the catalog: " + activities.prefix(4).joined(separator: "; ") + ".") }

        let subject = "This week's focus: \(skill)" + (model.context.classInfo.map { _ in " (\(model.classTitle))" } ?? "")
        var plain = "Subject: \(subject)\n\n\(message)\n\nIdeas for practising \(skill) in other settings:\n"
        for idea in ideas { plain += "- \(idea)\n" }
        plain += "\nWhy \(skill): \(focus.reason)\n"

        var html = "<div class=\"focus-message\"><p class=\"focus-subject\"><strong>\(HTMLText.escape(subject))</strong></p>"
        html += "<p>\(HTMLText.escape(message))</p><p>Ideas for practising \(HTMLText.escape(skill)) in other settings:</p><ul>"
        for idea in ideas { html += "<li>\(HTMLText.escape(idea))</li>" }
        html += "</ul><p class=\"sub\">Why \(HTMLText.escape(skill)): \(HTMLText.escape(focus.reason))</p></div>"
        self.init(skill: skill, subject: subject, plainText: plain, html: html)
    }
}

extension ReportRenderer {
    mutating func renderWeeklyFocus() {
        html += "<section class=\"page\" id=\"focus\" aria-labelledby=\"focus-h\"><h2 id=\"focus-h\">Weekly focus message</h2>"
        guard let message = WeeklyFocusMessage(model: model) else {
            let reason = model.classResult?.notes.first { $0.rule == "weekly-focus" }?.message
            html += "<p class=\"empty-note\">No weekly focus skill this week\(reason.map { ": " + HTMLText.escape($0) } ?? ".")</p></section>"
            return
        }
        html += "<p class=\"lede\">Ready to send to the whole school: copy the text, or print this page.</p>"
        html += message.html
        html += "<details class=\"plain-text\"><summary>Plain text, to paste into an e-mail</summary><pre>\(HTMLText.escape(message.plainText))</pre></details>"
        html += "</section>"
    }
}
