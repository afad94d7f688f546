/// The string formats the spec relies on, checked to their RFCs.
enum FormatCheck {
    /// RFC 9562 text form: 8-4-4-4-12 hex digits, either case.
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) && $0.allSatisfy(\.isASCII) }
    }

    /// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, with real ranges
    /// (leap years, second 60 for leap seconds). `T` and `Z` may be lowercase, as RFC 3339 allows.
    static func isDateTime(_ text: String) -> Bool {
        let chars = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= chars.count else { return nil }
            var value = 0
            for byte in chars[start..<start + count] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func byte(_ index: Int) -> UInt8? { index < chars.count ? chars[index] : nil }
        guard let year = digits(0, 4), byte(4) == UInt8(ascii: "-"), let month = digits(5, 2), byte(7) == UInt8(ascii: "-"),
            let day = digits(8, 2), byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t"),
            let hour = digits(11, 2), byte(13) == UInt8(ascii: ":"), let minute = digits(14, 2), byte(16) == UInt8(ascii: ":"),
            let second = digits(17, 2)
        else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...monthDays[month - 1]).contains(day), hour <= 23, minute <= 59, second <= 60 else {
            return false
        }
        var index = 19
        if byte(index) == UInt8(ascii: ".") {
            index += 1
            let start = index
            while let next = byte(index), next >= 48 && next <= 57 { index += 1 }
            guard index > start else { return false }
        }
        if byte(index) == UInt8(ascii: "Z") || byte(index) == UInt8(ascii: "z") { return index + 1 == chars.count }
        guard byte(index) == UInt8(ascii: "+") || byte(index) == UInt8(ascii: "-"), let offsetHour = digits(index + 1, 2),
            byte(index + 3) == UInt8(ascii: ":"), let offsetMinute = digits(index + 4, 2)
        else { return false }
        return offsetHour <= 23 && offsetMinute <= 59 && index + 6 == chars.count
    }
}
