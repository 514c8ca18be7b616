/// The coordinator's report of one class as one self-contained HTML file: the morning sheet,
/// the weekly focus message, a sheet per staff member, the class grid, a page per student with
/// a chart per skill, and what could not be decided.
///
/// The file loads nothing: its style and charts are inline, it has no script, and its content
/// security policy forbids every request. Every name, id, reason and note is escaped: rules are
/// untrusted, and so is their text.
///
/// ```swift
/// let roster = try RosterReader.read(bytes, sourceName: "class.json")
/// let engine = try Engine()
/// let evaluation = engine.evaluate(roster)
/// let html = ClassReport(roster: roster, evaluation: evaluation, parameters: engine.parameterValues).html()
/// ```
public struct ClassReport: Sendable {
    let model: ReportModel
    let sinceLastRun: SinceLastRun?

    /// A report of `roster` as `evaluation` decided it.
    ///
    /// - Parameters:
    ///   - roster: the class as read; its entries must be those `evaluation` was made from, in
    ///     the same order (as `Engine.evaluate(_:jobs:progress:)` returns them).
    ///   - evaluation: what the rules decided.
    ///   - parameters: the rules' parameter values in force (`Engine.parameterValues`): the
    ///     charts' criterion line and the staff sheets' next steps follow `prompt-fading` and
    ///     `scaffold-stage`; the contract's defaults (3 sessions, 80%, 5 trials) without them.
    public init(roster: Roster, evaluation: EvaluationReport, parameters: [String: [String: JSONValue]] = [:]) {
        self.init(roster: roster, evaluation: evaluation, parameters: parameters, sinceLastRun: nil)
    }

    /// A report with the section "Since the last run": the comparison with the class's previous
    /// run in a history (`trellis report --history`, `POST /v1/report` with `--history`).
    package init(roster: Roster, evaluation: EvaluationReport, parameters: [String: [String: JSONValue]] = [:], sinceLastRun: SinceLastRun?) {
        model = ReportModel(context: roster.context, entries: roster.entries, evaluation: evaluation, parameters: parameters)
        self.sinceLastRun = sinceLastRun
    }

    /// The class's title (else its id, else "Class").
    public var title: String { model.classTitle }

    /// The class's id, when the document names one.
    public var classID: String? { model.context.classInfo?.id }

    /// The weekly focus message, when a class-level rule chose a focus skill.
    public var weeklyFocus: WeeklyFocusMessage? { WeeklyFocusMessage(model: model) }

    /// How many of each the morning sheet has.
    public var counts: Counts {
        let items = model.allItems
        return Counts(
            students: model.students.count, actions: items.filter { $0.category == .action }.count,
            holds: items.filter { $0.category == .hold }.count, menus: items.filter { $0.category == .menu }.count,
            plans: items.filter { $0.category == .plan }.count, undecided: model.undecidedCount)
    }

    /// The report's numbers, for a school's index.
    public struct Counts: Sendable, Hashable {
        /// Students evaluated (records left out are counted in `undecided`).
        public var students: Int
        /// Recommendations the morning sheet lists: neither a hold, a menu nor a plan.
        public var actions: Int
        /// Recommendations to keep the level.
        public var holds: Int
        /// Choice menus.
        public var menus: Int
        /// Plans, such as each student's adult support (`action` `plan`).
        public var plans: Int
        /// Notes, rule errors and records left out.
        public var undecided: Int
    }

    /// The whole HTML document.
    public func html() -> String {
        var renderer = ReportRenderer(model: model, sinceLastRun: sinceLastRun)
        return renderer.document()
    }

    /// The document for a page of a school, with a link back to the school's index.
    func html(indexLink: String) -> String {
        var renderer = ReportRenderer(model: model, sinceLastRun: sinceLastRun)
        return renderer.document(indexLink: indexLink)
    }
}
