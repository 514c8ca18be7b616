/// A school's report: an index page and one `ClassReport` page per class, each a
/// self-contained HTML file that links to the others by relative name.
///
/// ```swift
/// let school = SchoolReport(classes: reports)
/// try write(school.indexHTML(), to: "site/index.html")
/// for page in school.pages { try write(school.html(of: page), to: "site/" + page.fileName) }
/// ```
public struct SchoolReport: Sendable {
    /// One class's page.
    public struct Page: Sendable {
        /// The page's file name, unique in the school: from the class id (else its title, else
        /// its position), with characters other than letters, digits, `.`, `-` and `_` as `_`.
        public var fileName: String
        /// The class's report.
        public var report: ClassReport
    }

    /// The index's own file name.
    public static let indexFileName = "index.html"

    /// The title of the index page.
    public var title: String
    /// The classes, in the order given.
    public var pages: [Page]

    /// A school of `classes`, in that order.
    public init(title: String = "School", classes: [ClassReport]) {
        self.title = title
        var used: Set<String> = [Self.indexFileName]
        var pages: [Page] = []
        for (index, report) in classes.enumerated() {
            let base = Self.fileBase(report.classID ?? report.model.context.classInfo?.title ?? "class-\(index + 1)")
            var name = "\(base).html"
            var suffix = 2
            while !used.insert(name.lowercased()).inserted {
                name = "\(base)-\(suffix).html"
                suffix += 1
            }
            pages.append(Page(fileName: name, report: report))
        }
        self.pages = pages
    }

    /// A class's page, with a link back to the index.
    public func html(of page: Page) -> String {
        page.report.html(indexLink: Self.indexFileName)
    }

    /// The index: each class with its counts, its weekly focus and a link to its page.
    public func indexHTML() -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(ReportStyle.contentSecurityPolicy)\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"Trellis\">"
        html += "<title>\(HTMLText.escape(title)): Trellis report</title><style>\(ReportStyle.css)</style></head><body>"
        let dates = Set(pages.map(\.report.model.context.asOf))
        let date = dates.count == 1 ? dates.first.map(ReportWords.longDate) ?? "" : "several dates"
        html += "<header class=\"report-header\"><h1>\(HTMLText.escape(title)) <span class=\"sub\">\(HTMLText.escape(date))</span></h1></header><main>"
        let all = pages.map(\.report.counts)
        let students = all.reduce(0) { $0 + $1.students }
        let actions = all.reduce(0) { $0 + $1.actions }
        html += "<section class=\"index\"><p class=\"lede\">\(ReportWords.count(pages.count, "class", "classes")), "
        html += "\(ReportWords.count(students, "student")), \(ReportWords.count(actions, "action")) today. Open a class for its morning sheet, staff sheets, grid and student pages.</p>"
        html += "<table class=\"index-table\"><thead><tr><th scope=\"col\">Class</th><th scope=\"col\">Students</th><th scope=\"col\">Actions</th>"
        html += "<th scope=\"col\">Holds</th><th scope=\"col\">Menus</th><th scope=\"col\">Not decided</th><th scope=\"col\">Weekly focus</th></tr></thead><tbody>"
        for (page, counts) in zip(pages, all) {
            html += "<tr><th scope=\"row\"><a href=\"\(HTMLText.escape(page.fileName))\">\(HTMLText.escape(page.report.title))</a></th>"
            html += "<td class=\"num\">\(counts.students)</td><td class=\"num\">\(counts.actions)</td><td class=\"num\">\(counts.holds)</td>"
            html += "<td class=\"num\">\(counts.menus)</td><td class=\"num\">\(counts.undecided)</td>"
            html += "<td>\(HTMLText.escape(page.report.weeklyFocus?.skill ?? "none"))</td></tr>"
        }
        html += "</tbody></table></section></main></body></html>\n"
        return html
    }

    static func fileBase(_ text: String) -> String {
        let kept = text.unicodeScalars.map { scalar -> String in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-" || scalar == "_")
                ? String(scalar) : "_"
        }.joined()
        let trimmed = kept.hasPrefix(".") ? "_" + kept.dropFirst() : kept
        return trimmed.isEmpty ? "class" : String(trimmed.prefix(80))
    }
}
