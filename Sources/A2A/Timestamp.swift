import Foundation

/// A `google.protobuf.Timestamp` in its JSON form: an ISO 8601 UTC string with milliseconds.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The instant.
    public var date: Date

    public init(_ date: Date = Date()) { self.date = date }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…]Z` (fractional digits optional, UTC or an offset).
    public init?(iso8601 text: String) {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) {
            self.date = date
        } else if let date = try? Date.ISO8601FormatStyle().parse(text) {
            self.date = date
        } else {
            return nil
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "timestamp \"\(text)\" is not ISO 8601 (e.g. 2025-10-28T10:30:00.000Z)"
            )
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The ISO 8601 form with millisecond precision and a `Z` suffix, e.g. `2025-10-28T10:30:00.000Z`.
    ///
    /// Computed directly (days-to-civil arithmetic): `ISO8601FormatStyle` goes through `Calendar`
    /// and costs more than writing the rest of a task.
    /// The instant is rounded to the microsecond before the milliseconds are cut off: a parsed `.123` lies a
    /// few ulps either side of it, and cutting that off directly printed `.122` for about one time in nine.
    public var description: String {
        let micros = Int64((date.timeIntervalSinceReferenceDate * 1_000_000).rounded())
        let sinceReference = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        let millis = sinceReference + 978_307_200_000
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let msOfDay = millis - days * 86_400_000
        // Howard Hinnant's civil_from_days.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var text = [UInt8]()
        text.reserveCapacity(24)
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var remaining = value
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8((remaining / divisor) % 10))
                remaining %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        text.append(UInt8(ascii: "-"))
        digits(month, 2)
        text.append(UInt8(ascii: "-"))
        digits(day, 2)
        text.append(UInt8(ascii: "T"))
        digits(msOfDay / 3_600_000, 2)
        text.append(UInt8(ascii: ":"))
        digits(msOfDay / 60_000 % 60, 2)
        text.append(UInt8(ascii: ":"))
        digits(msOfDay / 1000 % 60, 2)
        text.append(UInt8(ascii: "."))
        digits(msOfDay % 1000, 3)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.date < rhs.date }
}
