/// Which recommendations and notes the table and CSV formats show: `--only`, `--kind` and
/// `--action` of `trellis evaluate`.
public struct ReportFilter: Sendable, Hashable {
    /// What a line of the table or a row of the CSV is.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        /// A recommendation that is neither a hold, a menu nor a plan: what someone does today
        /// (the report's morning sheet lists these).
        case actions
        /// A recommendation to keep the level (`action` `hold`).
        case holds
        /// A choice menu (`kind` `choices`).
        case menus
        /// A plan (`action` `plan`): a standing decision for planning, such as the adult support
        /// `support` plans for each student.
        case plans
        /// A rule's word that it decided nothing, and why.
        case notes
    }

    /// The categories shown.
    public var categories: Set<Category>
    /// The recommendation kinds shown; empty for every kind.
    public var kinds: Set<String>
    /// The actions shown; empty for every action.
    public var actions: Set<String>

    /// Everything: every category, kind and action.
    public static let everything = ReportFilter()

    /// - Parameters:
    ///   - categories: the categories shown; by default all of them, but with `kinds` or
    ///     `actions` given, notes only when named here (a note has neither).
    ///   - kinds: the kinds shown (`prompt`, `conference`...); empty for all.
    ///   - actions: the actions shown (`fade`, `check_in`...); empty for all.
    public init(categories: Set<Category>? = nil, kinds: Set<String> = [], actions: Set<String> = []) {
        let narrowed = !kinds.isEmpty || !actions.isEmpty
        self.categories = categories ?? (narrowed ? [.actions, .holds, .menus] : Set(Category.allCases))
        self.kinds = kinds
        self.actions = actions
    }

    /// Whether `recommendation` is shown.
    public func includes(_ recommendation: Recommendation) -> Bool {
        let category: Category =
            switch ReportCategory(recommendation) {
            case .action: .actions
            case .hold: .holds
            case .menu: .menus
            case .plan: .plans
            }
        return categories.contains(category) && (kinds.isEmpty || kinds.contains(recommendation.kind))
            && (actions.isEmpty || actions.contains(recommendation.action))
    }

    /// Whether notes are shown.
    public var includesNotes: Bool { categories.contains(.notes) }
}

/// How the table and CSV formats are written, beyond the format itself.
public struct ReportOptions: Sendable, Hashable {
    /// What they show.
    public var filter: ReportFilter
    /// The table's width in columns: reasons wrap to fit it.
    public var width: Int
    /// CSV for Excel: a UTF-8 byte-order mark first, so that names with accents open right.
    public var excel: Bool

    /// Everything shown, 120 columns, no byte-order mark, unless given.
    public init(filter: ReportFilter = .everything, width: Int = 120, excel: Bool = false) {
        self.filter = filter
        self.width = width
        self.excel = excel
    }
}
