import Foundation

extension Timestamp {
    /// The date of `YYYY-MM-DDTHH:MM:SS[.f…]Z` (up to nine fractional digits), bit for bit what
    /// ``init(iso8601:)`` returns; `nil` for any other form, which the caller hands to Foundation.
    ///
    /// `ISO8601FormatStyle` costs more than the rest of a stream event. The arithmetic repeats the
    /// floating-point steps of Foundation's Gregorian calendar (`date(from:)`), which the tests
    /// check against `init(iso8601:)` over many dates and every fraction length.
    public static func fastDate(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            let count = bytes.count
            guard count == 20 || (22...30).contains(count) else { return nil }
            func digits(_ start: Int, _ length: Int) -> Int? {
                var value = 0
                for index in start..<start + length {
                    let digit = Int(bytes[index]) &- 48
                    guard digit >= 0, digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
                bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[count - 1] == UInt8(ascii: "Z"),
                let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2),
                let minute = digits(14, 2), let second = digits(17, 2),
                // From 1600 the calendar is Gregorian throughout; out-of-range fields are Foundation's to judge.
                year >= 1600, (1...12).contains(month), day >= 1, day <= daysIn(month, of: year), hour < 24,
                minute < 60, second < 60
            else { return nil }
            var nanosecond = 0
            if count > 20 {
                guard bytes[19] == UInt8(ascii: "."), let fraction = digits(20, count - 21) else { return nil }
                nanosecond = fraction
                for _ in 0..<(30 - count) { nanosecond *= 10 }
            }
            // Howard Hinnant's days_from_civil, shifted to the Julian day number.
            let shiftedYear = month <= 2 ? year - 1 : year
            let era = shiftedYear / 400
            let yearOfEra = shiftedYear - era * 400
            let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let julianDay = era * 146_097 + dayOfEra - 719_468 + 2_440_588
            // In Foundation's order: the seconds of the day are summed first, then added to midnight.
            var secondsInDay = 0.0
            secondsInDay += Double(hour) * 3600.0
            secondsInDay += Double(minute) * 60.0
            secondsInDay += Double(second)
            secondsInDay += Double(nanosecond) / Double(1_000_000_000)
            let midnight = (Double(julianDay) - 2_451_910.5) * 86400 - 43200
            return Date(timeIntervalSinceReferenceDate: midnight + secondsInDay)
        }
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
