import Foundation
import Testing

/// `trellis report` opened in headless Chromium with the network closed: what a person sees
/// must match what `trellis evaluate --format json` decided on the same input, the file must
/// load nothing, and printing must cut no chart across pages.
@Suite(.serialized)
struct ReportBrowserTests {
    static let root = CLITests.packageRoot
    let cli = CLITests()

    struct Expected {
        /// (students separated by spaces, skill, kind, action) of every action, in a bag.
        var actions: [String: Int]
        var names: [String: String]
        /// Each student's skills, in order, with their sessions as (date, percent or nil).
        var skills: [String: [(id: String, sessions: [(date: String, percent: Double?)])]]
        var studentOrder: [String]
    }

    /// What the report must show, from the input document and `trellis evaluate --format json`.
    func expected(input: String, extra: [String] = []) throws -> Expected {
        let run = try cli.trellis(["evaluate", "--format", "json"] + extra + [input])
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let evaluation = try cli.json(run.stdout)
        var actions: [String: Int] = [:]
        func add(_ recommendation: [String: Any], students: [String]) {
            let kind = recommendation["kind"] as? String ?? ""
            let action = recommendation["action"] as? String ?? ""
            // Holds, menus and plans (the adult support of `support`) are counted, not listed.
            guard kind != "choices", action != "hold", action != "plan" else { return }
            let key = [students.joined(separator: " "), recommendation["skill"] as? String ?? "", kind, action].joined(separator: "|")
            actions[key, default: 0] += 1
        }
        for result in evaluation["results"] as? [[String: Any]] ?? [] {
            for recommendation in result["recommendations"] as? [[String: Any]] ?? [] { add(recommendation, students: [result["student"] as? String ?? ""]) }
        }
        for recommendation in (evaluation["class"] as? [String: Any])?["recommendations"] as? [[String: Any]] ?? [] {
            var students: [String] = []
            if let one = recommendation["student"] as? String { students.append(one) }
            for other in recommendation["students"] as? [String] ?? [] where !students.contains(other) { students.append(other) }
            add(recommendation, students: students)
        }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: input))) as? [String: Any])
        var names: [String: String] = [:]
        var skills: [String: [(id: String, sessions: [(date: String, percent: Double?)])]] = [:]
        var order: [String] = []
        for student in document["students"] as? [[String: Any]] ?? [] {
            let id = try #require(student["id"] as? String)
            order.append(id)
            names[id] = student["name"] as? String ?? id
            skills[id] = (student["skills"] as? [[String: Any]] ?? []).map { skill in
                let sessions = (skill["sessions"] as? [[String: Any]] ?? []).map { session -> (date: String, percent: Double?) in
                    let trials = session["trials"] as? Int ?? 0
                    let correct = session["correct"] as? Int ?? 0
                    return (session["date"] as? String ?? "", trials > 0 ? Double(correct) * 100 / Double(trials) : nil)
                }
                return (skill["id"] as? String ?? "", sessions)
            }
        }
        return Expected(actions: actions, names: names, skills: skills, studentOrder: order)
    }

    /// The report opened in Chromium: no console message, no connection, no address in the
    /// page other than its own anchors. Returns the DOM Chromium built.
    func open(_ report: URL, folder: URL) throws -> DOMTags {
        let browser = try HeadlessChromium.find()
        let (run, requests) = try browser.run(["--dump-dom"], url: report, profile: folder.appending(path: "profile"))
        #expect(run.status == 0, "chromium: \(run.stderr.suffix(2000))")
        #expect(HeadlessChromium.consoleMessages(run.stderr).isEmpty, "console: \(HeadlessChromium.consoleMessages(run.stderr))")
        #expect(requests.isEmpty, "the page made requests: \(requests)")
        let dom = DOMTags(run.stdout)
        #expect(dom.tags.contains { $0.name == "section" && $0.attributes["id"] == "morning" }, "no morning sheet in the DOM: \(run.stdout.prefix(500))")
        for tag in dom.tags where !tag.isEnd {
            #expect(tag.name != "script" && tag.name != "iframe" && tag.name != "img" && tag.name != "link" && tag.name != "object" && tag.name != "embed")
            for key in ["src", "href", "xlink:href", "action", "srcset", "poster", "data"] {
                guard let value = tag.attributes[key], key != "data" || tag.name == "object" else { continue }
                let local = value.hasPrefix("#") || (key == "href" && value.hasSuffix(".html") && !value.contains(":") && !value.contains("/"))
                #expect(local, "<\(tag.name) \(key)=\"\(value)\"> points outside the file")
            }
        }
        let text = String(decoding: dom.bytes, as: UTF8.self)
        #expect(!text.contains("url("), "the style loads something: url(")
        #expect(!text.contains("@import"))
        return dom
    }

    /// The morning sheet lists exactly the evaluation's actions, with names; each student page
    /// has a chart per skill whose points are the sessions.
    func check(_ dom: DOMTags, against expected: Expected) throws {
        let tags = dom.tags
        let morningStart = try #require(tags.firstIndex { !$0.isEnd && $0.name == "section" && $0.attributes["id"] == "morning" })
        let morningEnd = try #require(dom.closing(morningStart))
        var listed: [String: Int] = [:]
        for index in morningStart..<morningEnd where !tags[index].isEnd && tags[index].name == "li" && tags[index].classes.contains("action") {
            let tag = tags[index]
            let student = try #require(tag.attributes["data-student"], "an action without data-student")
            let kind = try #require(tag.attributes["data-kind"])
            let action = try #require(tag.attributes["data-action"])
            let key = [student, tag.attributes["data-skill"] ?? "", kind, action].joined(separator: "|")
            listed[key, default: 0] += 1
            let close = try #require(dom.closing(index))
            let text = dom.text(from: tag.end, to: tags[close].start)
            for id in student.split(separator: " ").map(String.init) {
                let name = expected.names[id] ?? id
                #expect(text.contains(name), "the action \(key) does not name \(name): \(text)")
            }
        }
        #expect(listed == expected.actions, "morning sheet vs evaluate: only listed \(listed.filter { expected.actions[$0.key] != $0.value }), only evaluated \(expected.actions.filter { listed[$0.key] != $0.value })")

        for id in expected.studentOrder {
            let expectedSkills = expected.skills[id] ?? []
            let charts = tags.indices.filter { !tags[$0].isEnd && tags[$0].name == "svg" && tags[$0].attributes["data-student"] == id && tags[$0].attributes["data-skill"] != nil }
            #expect(charts.map { tags[$0].attributes["data-skill"] ?? "" } == expectedSkills.map(\.id), "\(id): one chart per skill, in order")
            for (chart, skill) in zip(charts, expectedSkills) {
                let close = try #require(dom.closing(chart))
                let points = tags[chart..<close].filter { !$0.isEnd && $0.classes.contains("point") }
                #expect(points.count == skill.sessions.count, "\(id) \(skill.id): \(points.count) points for \(skill.sessions.count) sessions")
                for (point, session) in zip(points, skill.sessions) {
                    #expect(point.attributes["data-date"] == session.date)
                    let shown = point.attributes["data-percent"] ?? "missing"
                    if let percent = session.percent {
                        let value = try #require(Double(shown), "\(id) \(skill.id) \(session.date): data-percent \(shown)")
                        #expect(abs(value - percent) < 0.006, "\(id) \(skill.id) \(session.date): \(value) for \(percent)")
                    } else {
                        #expect(shown == "", "a session without trials has an empty data-percent")
                    }
                }
            }
        }
    }

    func temporaryFolder() throws -> URL { try cli.temporaryFolder() }

    /// The network check sees what a page loads: a page with an image from elsewhere, and no
    /// policy to stop it, makes a request through the proxy.
    @Test func theNetworkCheckSeesAPageThatLoadsSomething() throws {
        let folder = try temporaryFolder()
        let page = folder.appending(path: "loads.html")
        try "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><img src=\"http://example.org/pixel.png\"></body></html>"
            .write(to: page, atomically: true, encoding: .utf8)
        let (run, requests) = try HeadlessChromium.find().run(["--dump-dom"], url: page, profile: folder.appending(path: "profile"))
        #expect(run.status == 0)
        #expect(requests.contains { $0.contains("example.org") }, "\(requests)")
    }

    @Test func theExampleClassMatchesItsEvaluationInTheBrowser() throws {
        let folder = try temporaryFolder()
        let report = folder.appending(path: "report.html")
        let run = try cli.trellis(["report", CLITests.exampleClass, "-o", report.path])
        #expect(run.status == 0, "\(run.stderr)")
        let dom = try open(report, folder: folder)
        try check(dom, against: try expected(input: CLITests.exampleClass))
    }

    /// A generated class with different ladders of data (and sessions without trials, and a
    /// school's parameter) checks the same on input nobody tuned the report for.
    @Test func aGeneratedClassMatchesItsEvaluationInTheBrowser() throws {
        let folder = try temporaryFolder()
        let input = folder.appending(path: "class.json")
        let generated = try cli.trellis(["generate", "--students", "30", "--seed", "7", "--sessions", "12", "--format", "document", "-o", input.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        // One session without trials: its point is there, with an empty percent.
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: input)) as? [String: Any])
        var students = try #require(document["students"] as? [[String: Any]])
        var skills = try #require(students[0]["skills"] as? [[String: Any]])
        var sessions = try #require(skills[0]["sessions"] as? [[String: Any]])
        sessions[2]["trials"] = 0
        sessions[2]["correct"] = 0
        sessions[2]["independent"] = 0
        skills[0]["sessions"] = sessions
        students[0]["skills"] = skills
        document["students"] = students
        try JSONSerialization.data(withJSONObject: document).write(to: input)
        let report = folder.appending(path: "report.html")
        let parameters = ["--param", "prompt-fading.fade_percent=70"]
        let run = try cli.trellis(["report"] + parameters + [input.path, "-o", report.path])
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let dom = try open(report, folder: folder)
        try check(dom, against: try expected(input: input.path, extra: parameters))
        // The criterion line follows the parameter.
        #expect(dom.text(from: 0, to: dom.bytes.count).contains("Criterion: 70% correct with at least 5 trials"))
    }

    /// Names, ids and a rule's reason with markup in them stay text: no element comes from
    /// them, and the words show as written.
    @Test func markupInDataAndRulesStaysText() throws {
        let folder = try temporaryFolder()
        let rules = folder.appending(path: "rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try """
            return {
              id = "loud", api = 1,
              evaluate = function(student)
                return { { skill = student.skills[1].id, kind = "note<b>", action = "shout\\"><img src=x>",
                           reason = "<script>alert(1)</script> & <a href='http://example.com/'>x</a> \\27[31m" } }
              end,
            }
            """.write(to: rules.appending(path: "loud.lua"), atomically: true, encoding: .utf8)
        let input = folder.appending(path: "class.json")
        try """
            {"as_of": "2026-11-20", "class": {"id": "<i>3B</i>", "title": "Room <b>3B</b>", "staff": ["t-<ortiz>"]},
             "students": [{"id": "s\\"1<", "name": "<img src=x onerror=alert(1)> Ana & Bo",
               "skills": [{"id": "wash<script>", "prompt_level": "model", "sessions": [
                 {"date": "2026-11-17", "prompt_level": "model", "trials": 10, "correct": 9, "staff": "t-<ortiz>", "setting": "<u>bath</u>"}]}]}]}
            """.write(to: input, atomically: true, encoding: .utf8)
        let report = folder.appending(path: "report.html")
        let run = try cli.trellis(["report", "--no-bundled", "--rules", rules.path, input.path, "-o", report.path])
        #expect(run.status == 0, "\(run.stderr)")
        let dom = try open(report, folder: folder)
        try check(dom, against: try expected(input: input.path, extra: ["--no-bundled", "--rules", rules.path]))
        let elements = Set(dom.tags.map(\.name))
        #expect(!elements.contains("b") && !elements.contains("i") && !elements.contains("u") && !elements.contains("img") && !elements.contains("script"))
        let text = dom.text(from: 0, to: dom.bytes.count)
        #expect(text.contains("<script>alert(1)</script> & <a href='http://example.com/'>x</a>"))
        #expect(text.contains("<img src=x onerror=alert(1)> Ana & Bo"))
        #expect(text.contains("Room <b>3B</b>"))
    }

    /// Printed on Letter and on A4: a page per staff member and per student, and every chart
    /// whole on one page with its description (the chart's title and the description's last
    /// words on the same page: Chromium never splits an SVG, but it would leave a chart at the
    /// foot of a page and its words on the next).
    @Test(arguments: ["letter", "A4"])
    func printingCutsNoChart(paper: String) throws {
        let folder = try temporaryFolder()
        let report = folder.appending(path: "report.html")
        let run = try cli.trellis(["report", CLITests.exampleClass, "-o", report.path])
        #expect(run.status == 0, "\(run.stderr)")
        // The report leaves the paper to the printer (@page size auto); here the test picks it.
        let html = try String(contentsOf: report, encoding: .utf8).replacing("</head>", with: "<style>@page{size:\(paper)}</style></head>")
        let sized = folder.appending(path: "sized.html")
        try html.write(to: sized, atomically: true, encoding: .utf8)
        let pdf = folder.appending(path: "report.pdf")
        let browser = try HeadlessChromium.find()
        let (printed, requests) = try browser.run(["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)"], url: sized, profile: folder.appending(path: "profile"))
        #expect(printed.status == 0, "\(printed.stderr.suffix(2000))")
        #expect(requests.isEmpty, "\(requests)")
        let text = try Self.pdfText(pdf)
        // Lines joined: a phrase may wrap.
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false)
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }.filter { !$0.isEmpty }
        let expected = try self.expected(input: CLITests.exampleClass)
        let chartCount = expected.skills.values.reduce(0) { $0 + $1.count }
        var tops = 0
        for (number, page) in pages.enumerated() {
            let top = page.components(separatedBy: "% correct per session").count - 1
            let bottom = page.components(separatedBy: "(hollow points have fewer trials).").count - 1
            #expect(top == bottom, "page \(number + 1) of \(paper): \(top) chart tops, \(bottom) chart bottoms: a chart is cut")
            tops += top
            // A page of charts is one student's.
            let owners = expected.studentOrder.filter { page.contains("\(expected.names[$0] ?? $0) · ") && top > 0 }
            #expect(owners.count <= 1, "page \(number + 1) of \(paper) has charts of \(owners)")
            #expect(page.components(separatedBy: "Staff sheet:").count <= 2, "page \(number + 1) of \(paper) holds two staff sheets")
        }
        #expect(tops == chartCount, "\(tops) whole charts printed of \(chartCount)")
        #expect(pages.count >= expected.studentOrder.count + 2 + 2, "\(pages.count) pages")
        // Each student's page starts on a new page: their name heads a page.
        for id in expected.studentOrder {
            let name = expected.names[id] ?? id
            #expect(pages.contains { $0.hasPrefix(name) }, "\(name) does not start a page")
        }
    }

    static func pdfText(_ pdf: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = [pdf.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else {
            Issue.record("pdftotext is not installed: run scripts/install-test-dependencies.sh (poppler-utils)")
            throw CocoaError(.fileNoSuchFile)
        }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The README's pictures: the morning sheet, a staff sheet and a student page, as a person
    /// sees them on a screen (each section alone, so that it starts at the top).
    @Test func screenshotsForTheReadme() throws {
        let folder = try temporaryFolder()
        let report = folder.appending(path: "report.html")
        let run = try cli.trellis(["report", CLITests.exampleClass, "-o", report.path])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: report, encoding: .utf8)
        let images = Self.root.appending(path: "docs/images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let browser = try HeadlessChromium.find()
        for (name, section, height) in [("report-morning-sheet", "morning", 1500), ("report-staff-sheet", "staff-p-lee", 1200), ("report-student-page", "student-s-105", 2000)] {
            #expect(html.contains("id=\"\(section)\""), "no section \(section)")
            let alone = html.replacing("</head>", with: "<style>main>section:not(#\(section)),nav,footer{display:none}</style></head>")
            let page = folder.appending(path: "\(section).html")
            try alone.write(to: page, atomically: true, encoding: .utf8)
            let image = images.appending(path: "\(name).png")
            let (shot, requests) = try browser.run(["--screenshot=\(image.path)", "--window-size=1100,\(height)"], url: page, profile: folder.appending(path: "profile"))
            #expect(shot.status == 0, "\(shot.stderr.suffix(1000))")
            #expect(requests.isEmpty, "\(requests)")
            let size = (try? FileManager.default.attributesOfItem(atPath: image.path)[.size] as? Int) ?? 0
            #expect(size > 20_000, "\(name).png is \(size) bytes")
        }
    }
}
