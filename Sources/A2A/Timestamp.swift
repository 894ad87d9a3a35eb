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
                in: container, debugDescription: "timestamp \"\(text)\" is not ISO 8601 (e.g. 2025-10-28T10:30:00.000Z)")
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The ISO 8601 form with millisecond precision and a `Z` suffix.
    public var description: String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.date < rhs.date }
}
