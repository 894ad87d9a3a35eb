import Foundation

/// A type that ``A2AJSON/decode(_:from:)`` reads from a ``ParsedJSON`` before it tries `Codable`.
///
/// A conformance must produce exactly the value `init(from:)` produces for the same bytes, and
/// throw ``FastPathRefusal`` for anything it is not sure of; the caller then decodes with `Codable`,
/// which also words the error. Foundation's `JSONDecoder` was most of the cost of reading the
/// stream events and tasks that come back from workers.
protocol FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal)
}

extension A2AJSON {
    /// The value read by the fast path, or `nil` when the bytes are not JSON or the type refuses them.
    static func fastDecode(_ type: any FastDecodable.Type, from data: Data) -> (any FastDecodable)? {
        guard let parsed = fastParse(data) else { return nil }
        return try? type.init(fastParsed: parsed)
    }

    /// The document read by ``JSONParser``, or `nil` when it is not JSON or when Foundation may read its bytes
    /// differently (invalid UTF-8, a number that rounds to zero): a caller's fast path then leaves it to `Codable`.
    public static func fastParse(_ data: Data) -> ParsedJSON? {
        needsFoundation(data) ? nil : JSONParser.parse(data)
    }

    /// A JSON document as a ``JSONValue``: the value (or the error) of `JSONDecoder().decode(JSONValue.self, from:)`,
    /// read by ``JSONParser`` unless the bytes are among those it reads differently (duplicate keys included).
    public static func decodeValue(_ data: Data) throws -> JSONValue {
        if let parsed = fastParse(data), let value = try? parsed.strictJSONValue() {
            return value
        }
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Whether Foundation may read these bytes differently from ``JSONParser``: it rejects invalid
    /// UTF-8 (which the parser repairs) and a number that rounds to zero despite a nonzero digit,
    /// such as `1e-400` (which the parser reads as 0). One pass over 8-byte words.
    static func needsFoundation(_ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            let count = buffer.count
            var firstNonASCII = count
            var zeroWords = 0
            var index = 0
            while index + 8 <= count {
                let word = buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0, firstNonASCII == count { firstNonASCII = index }
                // Rounding to zero takes over 200 zeros in a row (64 flag it), or an exponent of -100 or less.
                zeroWords = word == 0x3030_3030_3030_3030 ? zeroWords + 1 : 0
                if zeroWords == 8 { return true }
                let dashes = word ^ 0x2D2D_2D2D_2D2D_2D2D
                if (dashes &- 0x0101_0101_0101_0101) & ~dashes & 0x8080_8080_8080_8080 != 0 {
                    for offset in index..<index + 8 where isLongNegativeExponent(buffer, dash: offset) { return true }
                }
                index += 8
            }
            for offset in index..<count {
                if buffer[offset] >= 0x80, firstNonASCII == count { firstNonASCII = offset }
                if isLongNegativeExponent(buffer, dash: offset) { return true }
            }
            guard firstNonASCII < count else { return false }
            // Everything before `firstNonASCII` is ASCII, so a scalar starts there.
            return String(validating: UnsafeRawBufferPointer(rebasing: buffer[firstNonASCII...]), as: UTF8.self) == nil
        }
    }

    /// `-` after a digit and `e`, then three or more digits and the end of a number.
    private static func isLongNegativeExponent(_ buffer: UnsafeRawBufferPointer, dash: Int) -> Bool {
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard buffer[dash] == UInt8(ascii: "-"), dash >= 2, buffer[dash - 1] | 0x20 == UInt8(ascii: "e"),
            isDigit(buffer[dash - 2])
        else { return false }
        var end = dash + 1
        while end < buffer.count, isDigit(buffer[end]) { end += 1 }
        guard end - dash > 3 else { return false }
        guard end < buffer.count else { return true }
        switch buffer[end] {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return true
        default: return false
        }
    }
}

/// The fields of one object already read. A repeated name, or a camelCase name and its snake_case
/// twin, refuses: Foundation keeps the first, and such input is too rare to be worth mirroring.
struct SeenFields {
    private var bits: UInt32 = 0

    mutating func mark(_ field: UInt32) throws(FastPathRefusal) {
        let bit: UInt32 = 1 << field
        guard bits & bit == 0 else { throw FastPathRefusal() }
        bits |= bit
    }

    var count: Int { bits.nonzeroBitCount }
}

/// A member the type does not read. The proto-name decoder turns any name with an underscore into
/// camelCase, which may land on a field (`_text` is `text`), so only names without one are ignored.
func skipUnknown(_ key: String) throws(FastPathRefusal) {
    if key.utf8.contains(UInt8(ascii: "_")) { throw FastPathRefusal() }
}

/// Reading single values the way the `Codable` conformances do; `null` is absent, as in `decodeIfPresent`.
extension ParsedJSON {
    func objectMembers() throws(FastPathRefusal) -> [(key: String, value: ParsedJSON)] {
        guard case .object(let members) = self else { throw FastPathRefusal() }
        return members
    }

    func stringValue() throws(FastPathRefusal) -> String {
        guard case .string(let text) = self else { throw FastPathRefusal() }
        return text
    }

    func optionalStringValue() throws(FastPathRefusal) -> String? {
        switch self {
        case .null: return nil
        case .string(let text): return text
        default: throw FastPathRefusal()
        }
    }

    /// `decodeNonEmpty`: the ProtoJSON default `""` means absent.
    func nonEmptyStringValue() throws(FastPathRefusal) -> String? {
        guard let text = try optionalStringValue(), !text.isEmpty else { return nil }
        return text
    }

    func stringsValue() throws(FastPathRefusal) -> [String]? {
        try listValue { element throws(FastPathRefusal) in try element.stringValue() }
    }

    func listValue<Element>(_ read: (ParsedJSON) throws(FastPathRefusal) -> Element) throws(FastPathRefusal)
        -> [Element]?
    {
        switch self {
        case .null: return nil
        case .array(let elements):
            var result: [Element] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try read(element)) }
            return result
        default: throw FastPathRefusal()
        }
    }

    /// `decodeBoolIfPresent`: a bool, or a string that lowercases to `true` or `false`.
    func boolValue() throws(FastPathRefusal) -> Bool? {
        switch self {
        case .null: return nil
        case .bool(let value): return value
        case .string(let text):
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: throw FastPathRefusal()
            }
        default: throw FastPathRefusal()
        }
    }

    /// A `JSONObject` field such as `metadata`.
    /// The object as a `JSONObject` (nil for `null`), refusing duplicate keys and any other kind of value.
    public func objectValue() throws(FastPathRefusal) -> JSONObject? {
        switch self {
        case .null: return nil
        case .object(let members): return try Self.strictObject(members)
        default: throw FastPathRefusal()
        }
    }

    /// The value as a ``JSONValue``, refusing duplicate keys (Foundation keeps the first one).
    public func strictJSONValue() throws(FastPathRefusal) -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let value): return .number(value)
        case .string(let value): return .string(value)
        case .array(let elements):
            var values: [JSONValue] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try element.strictJSONValue()) }
            return .array(values)
        case .object(let members): return .object(try Self.strictObject(members))
        }
    }

    private static func strictObject(_ members: [(key: String, value: ParsedJSON)]) throws(FastPathRefusal)
        -> JSONObject
    {
        var object = JSONObject(minimumCapacity: members.count)
        for (key, value) in members {
            guard case .none = object.updateValue(try value.strictJSONValue(), forKey: key) else {
                throw FastPathRefusal()
            }
        }
        return object
    }

    /// A `google.protobuf.Timestamp`: the writer's own form is read directly, any other through Foundation.
    func timestampValue() throws(FastPathRefusal) -> Timestamp? {
        switch self {
        case .null: return nil
        case .string(let text):
            if let date = Timestamp.fastDate(text) { return Timestamp(date) }
            guard let timestamp = Timestamp(iso8601: text) else { throw FastPathRefusal() }
            return timestamp
        default: throw FastPathRefusal()
        }
    }
}
