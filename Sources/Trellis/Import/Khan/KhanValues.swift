import Foundation

/// The values in Khan Academy's exports, read into the contract's.
enum KhanValues {
    /// A mastery level as Khan writes it (`Mastered`, `Not started`, `NOT_STARTED`,
    /// `not-started`), in any case and spelling; nil for anything else.
    static func level(_ text: String) -> MasteryLevel? {
        switch SheetField.normalise(text) {
        case "mastered": .mastered
        case "proficient": .proficient
        case "familiar": .familiar
        case "attempted": .attempted
        case "notstarted", "notyetstarted", "notattempted", "notpracticed": .notStarted
        default: nil
        }
    }

    /// An assignment's status as Khan writes it, before the due date is weighed.
    enum Status {
        /// Done: graded when it has a score, else submitted.
        case completed(late: Bool)
        /// Not done yet: missing once its due date has passed, else assigned.
        case open
        case missing
        case exempt
    }

    static func status(_ text: String) -> Status? {
        switch SheetField.normalise(text) {
        case "completed", "complete", "done", "submitted", "turnedin", "finished", "mastered", "graded", "scored":
            .completed(late: false)
        case "completedlate", "late", "submittedlate", "turnedinlate", "donelate", "finishedlate":
            .completed(late: true)
        case "notstarted", "assigned", "started", "inprogress", "incomplete", "notcompleted", "notcomplete", "open", "todo", "notyetstarted":
            .open
        case "pastdue", "overdue", "missing", "notsubmitted", "notturnedin", "closed":
            .missing
        case "excused", "exempt", "ex", "notassigned":
            .exempt
        default: nil
        }
    }

    /// A score as a fraction: `80%`, `4/5` (right of all), `4 / 5`, `80` (a percentage), `0.8`
    /// (a fraction), or points over `possible`. Nil text means no score (`-`, `—`, blank); a
    /// failure says why.
    static func score(_ text: String, possible: Double?) -> Result<Double?, SheetValueError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || ["-", "–", "—", "n/a", "na", "--"].contains(trimmed.lowercased()) { return .success(nil) }
        let quoted = JSONValue.string(text).briefDescription
        let value: Double
        let slash = trimmed.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if slash.count == 2 {
            guard let right = SheetNumber.value(.text(slash[0])), let all = SheetNumber.value(.text(slash[1])), all > 0 else {
                return .failure(SheetValueError("\(quoted) is not a score (such as 80%, 4/5 or 0.8)"))
            }
            value = right / all
        } else {
            guard let number = SheetNumber.value(.text(trimmed)) else {
                return .failure(SheetValueError("\(quoted) is not a score (such as 80%, 4/5 or 0.8)"))
            }
            if let possible, possible > 0, !trimmed.hasSuffix("%") {
                value = number / possible
            } else if trimmed.hasSuffix("%") {
                value = number
            } else {
                value = number > 1 ? number / 100 : number
            }
        }
        guard (0...1).contains(value) else {
            return .failure(SheetValueError("\(quoted) is outside the score's range (0 to \(possible.map(SheetNumber.text) ?? "100%"))"))
        }
        return .success(value)
    }

    /// A day from an export's date cell: what `SheetDate.day` reads, also with a time of day after
    /// it as Khan's reports write one (`Nov 14, 2026 11:59 PM`, `2026-11-14 11:59 PM PST`); the
    /// day is kept as written.
    static func day(_ text: String, order: SheetDateOrder?) -> Result<String, SheetValueError> {
        let whole = SheetDate.day(text, order: order)
        guard case .failure = whole, let time = text.firstMatch(of: /[\sT,]+(at\s+)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?(\s*[A-Za-z]{1,5}|\s*[+-]\d{2}:?\d{2}|Z)?\s*$/) else {
            return whole
        }
        let day = String(text[..<time.range.lowerBound])
        switch SheetDate.day(day, order: order) {
        case .success(let value): return .success(value)
        case .failure: return whole
        }
    }

    /// A skill id made of Khan's name: lower case, letters and digits (accents dropped), words
    /// joined by `-`: `Add, subtract: fractions` → `add-subtract-fractions`.
    static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var words: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: "-")
    }

    /// The span of days at the end of an export's file name, as Khan names them
    /// (`District-name_skills_progress_Course-name_20231002_20231008.csv`): its last day, and the
    /// course when the name has one.
    static func fileName(_ path: String) -> (lastDay: String?, course: String?) {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var parts = name.split(separator: "_").map(String.init)
        var lastDay: String?
        if parts.count >= 2, let end = parts.last, let startText = parts.dropLast().last, isCompactDay(end), isCompactDay(startText) {
            lastDay = "\(end.prefix(4))-\(end.dropFirst(4).prefix(2))-\(end.suffix(2))"
            parts.removeLast(2)
        }
        var course: String?
        if let marker = parts.firstIndex(where: { $0.lowercased() == "progress" }), marker > 0, parts[marker - 1].lowercased() == "skills", marker + 1 < parts.count {
            course = parts[(marker + 1)...].joined(separator: "_").replacingOccurrences(of: "-", with: " ")
        }
        return (lastDay, course)
    }

    private static func isCompactDay(_ text: String) -> Bool {
        guard text.count == 8, text.allSatisfy(\.isNumber) else { return false }
        let day = "\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.suffix(2))"
        return SchoolDate.isValid(day)
    }
}
