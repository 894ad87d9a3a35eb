/// A RESP2 reply, copied out of hiredis into Swift values.
public enum RESPValue: Sendable, Hashable {
    /// `+OK` and other simple strings.
    case simpleString(String)
    /// `-ERR ...`: an error reply (inside an array it does not fail the command).
    case error(String)
    case integer(Int64)
    /// A bulk string: arbitrary bytes.
    case bulkString([UInt8])
    case array([RESPValue])
    /// Nil bulk string or nil array.
    case null

    /// The value as UTF-8 text, for simple and bulk strings.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The value as an integer, for integers and numeric strings.
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString, .simpleString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements, for arrays.
    public var array: [RESPValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool { self == .null }
}
