import Foundation

/// How a slashed date (`03/04/2026`) is read: never guessed.
package enum SheetDateOrder: String, Sendable, CaseIterable {
    /// Month first, as in the United States: `11/17/2026`.
    case mdy
    /// Day first, as in most of the world: `17/11/2026`.
    case dmy
}

/// The dates a school's sheet holds, as the contract's `YYYY-MM-DD`.
enum SheetDate {
    /// The day an Excel serial date stands for (whole days; the time of day is dropped). In the
    /// 1900 system serial 1 is 1900-01-01 and 60 is Excel's 29 February 1900, a day that never
    /// was; in the 1904 system 0 is 1904-01-01.
    static func day(serial: Double, epoch1904: Bool) -> String? {
        guard serial.isFinite, serial >= (epoch1904 ? 0 : 1), serial < 2_958_466 else { return nil }
        let whole = Int(serial.rounded(.down))
        let daysSince1970: Int
        if epoch1904 {
            daysSince1970 = whole - 24107
        } else {
            guard whole != 60 else { return nil }
            daysSince1970 = whole - (whole > 60 ? 25569 : 25568)
        }
        let (year, month, day) = civil(daysSince1970)
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Reads a cell's text: ISO (`2026-11-17`, with or without a time), `2026/11/17`, a month
    /// by name (`17 Nov 2026`, `Nov 17, 2026`, `17-Nov-26`), and slashed or dotted day and
    /// month only in the `order` given.
    static func day(_ text: String, order: SheetDateOrder?) -> Result<String, SheetValueError> {
        let trimmed = text.trimmingWhiteSpace
        let leading = trimmed.prefix { $0.isNumber }
        if leading.count == 4 {
            switch ImportDate.day(trimmed) {
            case .success(let day): return .success(day)
            case .failure(let error): return .failure(SheetValueError("\(error.message)"))
            }
        }
        if let named = namedMonth(trimmed) { return named }
        let parts = trimmed.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), parts[0].count <= 2, parts[1].count <= 2,
            parts[2].count == 4 || parts[2].count == 2, let first = Int(parts[0]), let second = Int(parts[1]), var year = Int(parts[2])
        else { return .failure(SheetValueError("\(JSONValue.string(text).briefDescription) is not a date")) }
        if parts[2].count == 2 { year += 2000 }
        guard let order else {
            return .failure(SheetValueError(
                "\(JSONValue.string(text).briefDescription) is a date with the day and month in an order the sheet does not say: give --date-order mdy (month first) or dmy (day first)"))
        }
        let (month, day) = order == .mdy ? (first, second) : (second, first)
        return make(year: year, month: month, day: day, text: text, order: order)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `17 Nov 2026`, `17-Nov-2026`, `Nov 17, 2026`, `November 17 2026`: unambiguous.
    private static func namedMonth(_ text: String) -> Result<String, SheetValueError>? {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "," || $0 == "." }).map(String.init)
        guard words.count == 3 else { return nil }
        func month(_ word: String) -> Int? {
            guard word.count >= 3, let index = months.firstIndex(of: String(word.prefix(3))) else { return nil }
            return index + 1
        }
        let (dayWord, monthWord, yearWord): (String, String, String)
        if let _ = month(words[1]) {
            (dayWord, monthWord, yearWord) = (words[0], words[1], words[2])
        } else if let _ = month(words[0]) {
            (dayWord, monthWord, yearWord) = (words[1], words[0], words[2])
        } else {
            return nil
        }
        guard let month = month(monthWord), let day = Int(dayWord.filter(\.isNumber)), var year = Int(yearWord) else { return nil }
        if yearWord.count == 2 { year += 2000 }
        return make(year: year, month: month, day: day, text: text, order: nil)
    }

    private static func make(year: Int, month: Int, day: Int, text: String, order: SheetDateOrder?) -> Result<String, SheetValueError> {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= lengths[month - 1] else {
            let how = order.map { " read as \($0 == .mdy ? "month/day/year" : "day/month/year") (--date-order \($0.rawValue))" } ?? ""
            return .failure(SheetValueError("\(JSONValue.string(text).briefDescription) is not a calendar day\(how)"))
        }
        return .success(String(format: "%04d-%02d-%02d", year, month, day))
    }

    /// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A cell that does not hold what its column needs, in words for the coordinator.
struct SheetValueError: Error, Hashable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

/// Numbers as sheets write them.
enum SheetNumber {
    /// A number as a person writes it: `10`, not `10.0`.
    static func text(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    /// A cell's number: `10`, `10.0`, `87,5` (a decimal comma), `85%` (as 0.85 when `percent`).
    static func value(_ cell: SheetCell) -> Double? {
        switch cell {
        case .number(let number, _): return number
        case .empty: return nil
        case .date(let serial, _): return serial
        case .text:
            var text = cell.text
            text.removeAll { $0 == " " }
            var scale = 1.0
            if text.hasSuffix("%") {
                text.removeLast()
                scale = 0.01
            }
            if text.filter({ $0 == "," }).count == 1, !text.contains(".") { text = String(text.map { $0 == "," ? "." : $0 }) }
            return Double(text).map { $0 * scale }
        }
    }

    /// A count of trials: a whole number, not negative.
    static func count(_ cell: SheetCell) -> Result<Int?, SheetValueError> {
        if cell.isBlank { return .success(nil) }
        guard let number = value(cell), !cell.text.hasSuffix("%") else {
            return .failure(SheetValueError("\(JSONValue.string(cell.text).briefDescription) is not a number"))
        }
        guard number.rounded() == number, abs(number) < 1e9 else { return .failure(SheetValueError("\(JSONValue.string(cell.text).briefDescription) is not a whole number")) }
        guard number >= 0 else { return .failure(SheetValueError("\(JSONValue.string(cell.text).briefDescription) is negative")) }
        return .success(Int(number))
    }
}

/// A trial-by-trial tally (`+ + - +`, `++-+`, `✓✗✓`): the trials and those correct.
struct SheetTally {
    var correctMarks: Set<Character> = ["+", "✓", "✔", "1", "y", "Y", "c", "C"]
    var incorrectMarks: Set<Character> = ["-", "−", "–", "✗", "✘", "x", "X", "0", "n", "N"]

    func count(_ text: String) -> Result<(trials: Int, correct: Int)?, SheetValueError> {
        var trials = 0
        var correct = 0
        for character in text where !(character.isWhitespace || character == "," || character == "/" || character == "|" || character == ";") {
            if correctMarks.contains(character) {
                trials += 1
                correct += 1
            } else if incorrectMarks.contains(character) {
                trials += 1
            } else {
                return .failure(SheetValueError(
                    "\(JSONValue.string(text).briefDescription): \"\(character)\" is not a tally mark (correct: \(correctMarks.sorted().map(String.init).joined(separator: " ")); incorrect: \(incorrectMarks.sorted().map(String.init).joined(separator: " ")))"))
            }
        }
        return .success(trials == 0 ? nil : (trials, correct))
    }
}
