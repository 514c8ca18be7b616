import ArgumentParser
import Foundation
import Trellis

/// What the table and CSV of `trellis evaluate` show: `--only`, `--kind`, `--action`, `--excel`.
struct ShowOptions: ParsableArguments {
    @Option(
        name: .customLong("only"),
        help: ArgumentHelp("Table and CSV: show only these: actions, holds, menus, plans, notes (comma-separated or repeated).", valueName: "what"))
    var only: [String] = []

    @Option(name: .customLong("kind"), help: ArgumentHelp("Table and CSV: only recommendations of this kind (repeatable): prompt, scaffold, conference...", valueName: "kind"))
    var kinds: [String] = []

    @Option(name: .customLong("action"), help: ArgumentHelp("Table and CSV: only recommendations with this action (repeatable): fade, step_back, check_in...", valueName: "action"))
    var actions: [String] = []

    @Flag(help: "CSV for Excel: starts with a UTF-8 byte-order mark, so that names with accents open right.")
    var excel = false

    func validate() throws {
        _ = try categories()
    }

    private func categories() throws -> Set<ReportFilter.Category>? {
        let names = only.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        guard !names.isEmpty else { return nil }
        var categories = Set<ReportFilter.Category>()
        for name in names {
            let singular = name.hasSuffix("s") ? name : name + "s"
            guard let category = ReportFilter.Category(rawValue: singular) else {
                throw ValidationError("--only takes actions, holds, menus, plans or notes, not \(name)")
            }
            categories.insert(category)
        }
        return categories
    }

    /// Whether any of these options was given.
    var isSet: Bool { !only.isEmpty || !kinds.isEmpty || !actions.isEmpty || excel }

    /// The options for the writer; `width` is the terminal's when the table goes to one.
    func reportOptions(width: Int) -> ReportOptions {
        ReportOptions(filter: ReportFilter(categories: (try? categories()) ?? nil, kinds: Set(kinds), actions: Set(actions)), width: width, excel: excel)
    }

    /// The width of the terminal on `descriptor`, else 120 (a table written to a file or a pipe).
    static func tableWidth(descriptor: Int32 = STDOUT_FILENO) -> Int {
        var size = winsize()
        if isatty(descriptor) != 0, ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 60 { return Int(size.ws_col) }
        return 120
    }
}
