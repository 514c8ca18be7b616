import Foundation

/// Reads the dates real exports write into the contract's `YYYY-MM-DD`.
///
/// Accepted: `2026-11-03`; the same with a time and an offset (`2026-11-03T23:59:00Z`,
/// `2026-11-03 08:00`, `2026-11-03T15:00:00.000-05:00`), whose date is kept as written, in the
/// writer's own offset, because a school day is the day where the school is; `2026/11/03`; and
/// day and month with slashes (`20/11/2026`, `11/20/2026`) when only one reading is a real date.
/// `03/04/2026` could be 3 April or 4 March: it is refused rather than guessed.
enum ImportDate {
    /// The day, or why the text is not one.
    static func day(_ text: String) -> Result<String, DateError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let scalars = Array(trimmed.utf8)
        // An ISO date, alone or followed by a time.
        if scalars.count >= 10, let year = number(scalars, 0, 4), scalars[4] == scalars[7], scalars[4] == UInt8(ascii: "-") || scalars[4] == UInt8(ascii: "/"),
            let month = number(scalars, 5, 2), let day = number(scalars, 8, 2)
        {
            if scalars.count > 10 {
                guard scalars[4] == UInt8(ascii: "-"), scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: " "), isTime(scalars[11...]) else {
                    return .failure(DateError(text: text, reason: "not a date"))
                }
            }
            return make(year: year, month: month, day: day, text: text)
        }
        // Day and month with slashes, in either order.
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3, parts[2].count == 4, let first = Int(parts[0]), let second = Int(parts[1]), let year = Int(parts[2]),
            (1...2).contains(parts[0].count), (1...2).contains(parts[1].count)
        {
            let dayFirst = valid(year: year, month: second, day: first)
            let monthFirst = valid(year: year, month: first, day: second)
            switch (dayFirst, monthFirst) {
            case (true, true) where first != second:
                return .failure(DateError(text: text, reason: "ambiguous: day/month or month/day; write it as YYYY-MM-DD"))
            case (true, _): return make(year: year, month: second, day: first, text: text)
            case (false, true): return make(year: year, month: first, day: second, text: text)
            case (false, false): return .failure(DateError(text: text, reason: "not a calendar day"))
            }
        }
        return .failure(DateError(text: text, reason: "not a date"))
    }

    /// Seconds since 1970 for an ISO 8601 timestamp (`2015-06-10T22:31:41+08:00`), to order
    /// statements written in different offsets; a time without an offset is taken as UTC.
    static func instant(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard case .success = day(text), bytes.count >= 10, let year = number(bytes, 0, 4), let month = number(bytes, 5, 2),
            let dayOfMonth = number(bytes, 8, 2)
        else { return nil }
        // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + dayOfMonth - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        var seconds = Double(era * 146097 + dayOfEra - 719468) * 86400
        guard bytes.count > 10 else { return seconds }
        let time = String(decoding: bytes[11...], as: UTF8.self)
        // Split off the offset: Z, or a sign after the clock.
        var clock = Substring(time)
        var offset = 0.0
        if clock.hasSuffix("Z") {
            clock = clock.dropLast()
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let digits = clock[clock.index(after: sign)...].filter(\.isNumber)
            guard digits.count == 4, let hours = Double(digits.prefix(2)), let minutes = Double(digits.suffix(2)) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (clock[sign] == "-" ? -1 : 1)
            clock = clock[..<sign]
        }
        let parts = clock.split(separator: ":")
        guard parts.count >= 2, let hours = Double(parts[0]), let minutes = Double(parts[1]) else { return nil }
        seconds += hours * 3600 + minutes * 60 + (parts.count > 2 ? Double(parts[2]) ?? 0 : 0)
        return seconds - offset
    }

    struct DateError: Error, Hashable {
        var text: String
        var reason: String

        var message: String { "\(JSONValue.string(text).briefDescription) is \(reason)" }
    }

    private static func make(year: Int, month: Int, day: Int, text: String) -> Result<String, DateError> {
        guard valid(year: year, month: month, day: day) else { return .failure(DateError(text: text, reason: "not a calendar day")) }
        let pad = { (value: Int, width: Int) in String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        return .success("\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))")
    }

    private static func valid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// `hh:mm`, optionally `:ss`, fractions, and `Z` or an offset: enough to know it is a time.
    private static func isTime(_ bytes: ArraySlice<UInt8>) -> Bool {
        let text = Array(bytes)
        guard text.count >= 5, number(text, 0, 2).map({ $0 < 24 }) == true, text[2] == UInt8(ascii: ":"),
            number(text, 3, 2).map({ $0 < 60 }) == true
        else { return false }
        let allowed = Set("0123456789:.+-Z".utf8)
        return text[5...].allSatisfy { allowed.contains($0) }
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ length: Int) -> Int? {
        guard start + length <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + length] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
