/// How the report sorts a recommendation: an action someone does today, a hold, a menu, or a
/// plan.
///
/// The morning sheet lists the actions and counts the rest: every winning recommendation of a
/// student or of the class whose kind is not `choices` (a menu) and whose action is neither `hold`
/// nor `plan`. A plan (the adult support `support` plans for each student) is a standing decision
/// for the coordinator, not something done today: it is on the student's page.
enum ReportCategory: Sendable, Hashable {
    case action
    case hold
    case menu
    case plan

    init(_ recommendation: Recommendation) {
        if recommendation.kind == "choices" {
            self = .menu
        } else if recommendation.action == "hold" {
            self = .hold
        } else if recommendation.action == "plan" {
            self = .plan
        } else {
            self = .action
        }
    }
}

/// One recommendation as the report shows it: with the students it is about.
struct ReportItem: Sendable {
    var recommendation: Recommendation
    /// The students it names, in the order given: the student's own for a student's
    /// recommendation; `student`, then `students`, for a class-level one; none for the class.
    var studentIDs: [String]
    /// Whether it came from a class-level rule.
    var isClassLevel: Bool

    var category: ReportCategory { ReportCategory(recommendation) }

    static func classLevel(_ recommendation: Recommendation) -> ReportItem {
        var ids: [String] = []
        if let single = recommendation.extra["student"]?.stringValue { ids.append(single) }
        if case .array(let many)? = recommendation.extra["students"] {
            for id in many.compactMap(\.stringValue) where !ids.contains(id) { ids.append(id) }
        }
        return ReportItem(recommendation: recommendation, studentIDs: ids, isClassLevel: true)
    }
}

/// Words for actions and changes, for people rather than programs.
enum ReportWords {
    /// `step_back` as `step back`.
    static func action(_ action: String) -> String {
        action.replacing("_", with: " ")
    }

    /// `full_physical` as `full physical`: level names are ids in the data.
    static func level(_ level: String) -> String {
        level.replacing("_", with: " ")
    }

    /// A short label for the badge beside an action: `Fade`, `Step back`, `Check in`.
    static func badge(_ recommendation: Recommendation) -> String {
        let words = action(recommendation.action)
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// `gestural → verbal`, `stay at gestural`, `at independent`, the delay, or nothing.
    static func change(_ recommendation: Recommendation) -> String? {
        switch (recommendation.from, recommendation.to) {
        case (let from?, let to?) where from != to: return "\(level(from)) → \(level(to))"
        case (let from?, _): return recommendation.action == "hold" ? "stay at \(level(from))" : "at \(level(from))"
        case (nil, let to?): return "→ \(level(to))"
        case (nil, nil):
            if let delay = recommendation.extra["delay_to"]?.doubleValue { return "delay → \(JSONText.number(delay)) s" }
            return nil
        }
    }

    /// `Friday 20 November 2026` for `2026-11-20`; the text as it is when it is not a date.
    static func longDate(_ text: String) -> String {
        guard let (year, month, day) = components(text) else { return text }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        return "\(weekdays[weekday(year: year, month: month, day: day)]) \(day) \(months[month - 1]) \(year)"
    }

    /// `20 Nov` for `2026-11-20`, for chart axes.
    static func shortDate(_ text: String?) -> String {
        guard let text else { return "no date" }
        guard let (_, month, day) = components(text) else { return text }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(day) \(months[month - 1])"
    }

    /// Year, month and day of a contract date (`YYYY-MM-DD`, maybe with a time).
    static func components(_ text: String) -> (Int, Int, Int)? {
        guard SchoolDate.isValid(text) else { return nil }
        let digits = Array(text.utf8.prefix(10))
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } }
        return (number(0..<4), number(5..<7), number(8..<10))
    }

    /// 0 for Monday (Sakamoto's method).
    private static func weekday(year: Int, month: Int, day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let sunday0 = (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
        return (sunday0 + 6) % 7
    }

    /// `1 action`, `2 actions`.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }
}
