import ArgumentParser
import Trellis

/// Days given on the command line (`--as-of`, `--from`, `--to`), checked the same way everywhere.
enum TimeOptions {
    /// The day `text` names, `nil` when the option was not given; a validation error naming
    /// `option` when it is not a real `YYYY-MM-DD` day.
    static func day(_ text: String?, option: String) throws -> SchoolDay? {
        guard let text else { return nil }
        guard let day = SchoolDay(text) else { throw ValidationError("\(option) \(text): expected a day as YYYY-MM-DD, such as 2026-11-12") }
        return day
    }
}
