/// Checks the dates of the contract: `YYYY-MM-DD`, optionally followed by an RFC 3339 time.
enum SchoolDate {
    static func isValid(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isValid) ?? Array(text.utf8).withUnsafeBufferPointer(isValid)
    }

    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return false }
        return bytes.count == 10 || isTime(UnsafeBufferPointer(rebasing: bytes[10...]))
    }

    /// `THH:MM[:SS[.fraction]][Z|±HH:MM]`
    private static func isTime(_ time: UnsafeBufferPointer<UInt8>) -> Bool {
        guard time.count >= 6, time[0] == UInt8(ascii: "T") || time[0] == UInt8(ascii: " "), time[3] == UInt8(ascii: ":"),
            let hour = number(time, 1, 2), let minute = number(time, 4, 2), hour < 24, minute < 60
        else { return false }
        var index = 6
        if index < time.count, time[index] == UInt8(ascii: ":") {
            guard let second = number(time, index + 1, 2), second <= 60 else { return false }
            index += 3
            if index < time.count, time[index] == UInt8(ascii: ".") {
                index += 1
                let digitsStart = index
                while index < time.count, isDigit(time[index]) { index += 1 }
                guard index > digitsStart else { return false }
            }
        }
        if index == time.count { return true }
        if time[index] == UInt8(ascii: "Z") { return index + 1 == time.count }
        guard time[index] == UInt8(ascii: "+") || time[index] == UInt8(ascii: "-"), time.count == index + 6,
            time[index + 3] == UInt8(ascii: ":"), let offsetHour = number(time, index + 1, 2), let offsetMinute = number(time, index + 4, 2),
            offsetHour < 24, offsetMinute < 60
        else { return false }
        return true
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Int? {
        guard start + length <= bytes.count else { return nil }
        var value = 0
        for position in start..<start + length {
            guard isDigit(bytes[position]) else { return nil }
            value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
        }
        return value
    }
}
