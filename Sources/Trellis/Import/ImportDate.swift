import Foundation

/// Reads the dates real exports write into the contract's `YYYY-MM-DD`.
///
/// Accepted: `2026-11-03`; the same with an ISO 8601 time and offset (`2026-11-03T23:59:00Z`,
/// `2026-11-03 08:00`, `2026-11-03T15:00:00.000-05:00`, `2026-11-03T18:00+01`), whose date is kept
/// as written, in the writer's own offset, because a school day is the day where the school is;
/// `2026/11/03`; and day and month with slashes (`20/11/2026`, `11/20/2026`) when only one reading
/// is a real date. `03/04/2026` could be 3 April or 4 March: it is refused rather than guessed, and
/// so is a time that is not one (`18:00:99`, `25:00`, an offset of `+1`).
enum ImportDate {
    /// The day, or why the text is not one.
    static func day(_ text: String) -> Result<String, DateError> {
        parse(text).map(\.dayText)
    }

    /// Seconds since 1970 for a timestamp that `day` reads (`2015-06-10T22:31:41+08:00`), to order
    /// statements written in different offsets; a time without an offset is taken as UTC, a day
    /// without a time as its midnight in UTC. Nil exactly when `day` refuses the text.
    static func instant(_ text: String) -> Double? {
        try? parse(text).get().instant
    }

    /// The day and the instant of one timestamp, read once.
    static func timestamp(_ text: String) -> Result<(day: String, instant: Double), DateError> {
        parse(text).map { ($0.dayText, $0.instant) }
    }

    struct DateError: Error, Hashable {
        var text: String
        var reason: String

        var message: String { "\(JSONValue.string(text).briefDescription) is \(reason)" }
    }

    /// A day, and for an ISO timestamp the time into it and the writer's offset from UTC, in seconds.
    private struct Stamp {
        var year: Int
        var month: Int
        var day: Int
        var seconds = 0.0
        var offset = 0.0

        var dayText: String { "\(ImportDate.pad(year, 4))-\(ImportDate.pad(month, 2))-\(ImportDate.pad(day, 2))" }

        var instant: Double {
            // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            return Double(era * 146097 + dayOfEra - 719468) * 86400 + seconds - offset
        }
    }

    private static func parse(_ text: String) -> Result<Stamp, DateError> {
        let trimmed = text.trimmingWhiteSpace
        let scalars = Array(trimmed.utf8)
        // An ISO date, alone or followed by a time.
        if scalars.count >= 10, let year = number(scalars, 0, 4), scalars[4] == scalars[7], scalars[4] == UInt8(ascii: "-") || scalars[4] == UInt8(ascii: "/"),
            let month = number(scalars, 5, 2), let day = number(scalars, 8, 2)
        {
            guard valid(year: year, month: month, day: day) else { return .failure(DateError(text: text, reason: "not a calendar day")) }
            var stamp = Stamp(year: year, month: month, day: day)
            if scalars.count > 10 {
                guard scalars[4] == UInt8(ascii: "-"), scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: " "),
                    let (seconds, offset) = time(scalars[11...])
                else {
                    return .failure(DateError(text: text, reason: "not a date, or a date and an ISO 8601 time"))
                }
                stamp.seconds = seconds
                stamp.offset = offset
            }
            return .success(stamp)
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
            case (true, _): return .success(Stamp(year: year, month: second, day: first))
            case (false, true): return .success(Stamp(year: year, month: first, day: second))
            case (false, false): return .failure(DateError(text: text, reason: "not a calendar day"))
            }
        }
        return .failure(DateError(text: text, reason: "not a date"))
    }

    /// ISO 8601's extended time: `hh:mm`, optionally `:ss` and a fraction (`.250`), then nothing
    /// (UTC), `Z`, or an offset `±hh`, `±hhmm` or `±hh:mm`. Hours up to 23, minutes up to 59,
    /// seconds up to 60 (a leap second), offsets up to 23:59. The seconds into the day and the
    /// offset, or nil for anything else.
    private static func time(_ bytes: ArraySlice<UInt8>) -> (seconds: Double, offset: Double)? {
        let text = Array(bytes)
        var at = 0
        func digits(_ count: Int, atMost maximum: Int) -> Int? {
            guard let value = number(text, at, count), value <= maximum else { return nil }
            at += count
            return value
        }
        func take(_ character: Character) -> Bool {
            guard at < text.count, text[at] == character.asciiValue else { return false }
            at += 1
            return true
        }
        guard let hours = digits(2, atMost: 23), take(":"), let minutes = digits(2, atMost: 59) else { return nil }
        var seconds = Double(hours * 3600 + minutes * 60)
        if take(":") {
            guard let whole = digits(2, atMost: 60) else { return nil }
            seconds += Double(whole)
            if take(".") || take(",") {
                let start = at
                while at < text.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[at]) { at += 1 }
                guard at > start, let fraction = Double("0." + String(decoding: text[start..<at], as: UTF8.self)) else { return nil }
                seconds += fraction
            }
        }
        var offset = 0.0
        if take("Z") || take("z") {
            offset = 0
        } else if at < text.count, text[at] == UInt8(ascii: "+") || text[at] == UInt8(ascii: "-") {
            let sign: Double = text[at] == UInt8(ascii: "-") ? -1 : 1
            at += 1
            guard let offsetHours = digits(2, atMost: 23) else { return nil }
            var offsetMinutes = 0
            if at < text.count {
                _ = take(":")
                guard let value = digits(2, atMost: 59) else { return nil }
                offsetMinutes = value
            }
            offset = sign * Double(offsetHours * 3600 + offsetMinutes * 60)
        }
        return at == text.count ? (seconds, offset) : nil
    }

    fileprivate static func pad(_ value: Int, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
    }

    private static func valid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
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
