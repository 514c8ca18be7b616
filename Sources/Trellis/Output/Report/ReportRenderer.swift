/// Writes the report's HTML document, section by section (each section is an extension in a
/// file of its own).
struct ReportRenderer {
    let model: ReportModel
    /// The comparison with the class's previous run, for `trellis report --history`.
    let sinceLastRun: SinceLastRun?
    var html = ""

    init(model: ReportModel, sinceLastRun: SinceLastRun? = nil) {
        self.model = model
        self.sinceLastRun = sinceLastRun
        html.reserveCapacity(64 * 1024 + model.students.count * 24 * 1024)
    }

    /// The whole document; `indexLink` is the school index's file name for a class of a school.
    mutating func document(indexLink: String? = nil) -> String {
        let title = "\(model.classTitle): Trellis report for \(ReportWords.longDate(model.context.asOf))"
        html += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        // Nothing may load from anywhere: the file is read from an e-mail or a USB stick, and
        // a rule's text must not be able to make it fetch anything even if it were markup.
        html += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(ReportStyle.contentSecurityPolicy)\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"Trellis\">"
        html += "<title>\(HTMLText.escape(title))</title><style>\(ReportStyle.css)</style></head><body>"
        html += "<header class=\"report-header\">"
        if let indexLink { html += "<p class=\"back no-print\"><a href=\"\(HTMLText.escape(indexLink))\">← All classes</a></p>" }
        html += "<h1>\(HTMLText.escape(model.classTitle)) <span class=\"sub\">\(HTMLText.escape(ReportWords.longDate(model.context.asOf)))</span></h1>"
        renderNavigation()
        html += "</header><main>"
        renderMorningSheet()
        if let sinceLastRun { renderSinceLastRun(sinceLastRun) }
        renderWeeklyFocus()
        renderStaffSheets()
        renderClassGrid()
        renderStudentPages()
        renderUndecided()
        html += "</main><footer class=\"no-print\"><p>Made by Trellis from the class's data as of \(HTMLText.escape(model.context.asOf)). "
        html += "Every recommendation names the rule that made it; the numbers behind each chart are under it.</p></footer></body></html>\n"
        return html
    }

    private mutating func renderNavigation() {
        html += "<nav class=\"no-print\" aria-label=\"Sections\"><ul>"
        html += "<li><a href=\"#morning\">Morning sheet</a></li>"
        if sinceLastRun != nil { html += "<li><a href=\"#since\">Since the last run</a></li>" }
        html += "<li><a href=\"#focus\">Weekly focus</a></li>"
        if !model.staff.isEmpty {
            html += "<li>Staff: " + model.staff.map { "<a href=\"#\(HTMLText.anchor("staff-", $0))\">\(HTMLText.escape($0))</a>" }.joined(separator: ", ") + "</li>"
        }
        html += "<li><a href=\"#grid\">Class grid</a></li><li><a href=\"#undecided\">Not decided</a></li></ul>"
        if !model.students.isEmpty {
            html += "<ul class=\"students-nav\"><li>Students:</li>"
            for entry in model.students { html += "<li><a href=\"#\(entry.anchor)\">\(HTMLText.escape(entry.name))</a></li>" }
            html += "</ul>"
        }
        html += "</nav>"
    }
}
