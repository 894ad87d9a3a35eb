// Reply decoding shared by the typed commands. An error reply anywhere becomes RedisError.server; a reply of
// the wrong shape becomes RedisError.protocolError naming the command, so a mismatch is never silent.

extension RESPValue {
    /// Throws ``RedisError/server(_:)`` for an error reply, else returns the value.
    func checked() throws -> RESPValue {
        if case .error(let message) = self { throw RedisError.server(message) }
        return self
    }

    /// Text of a simple or bulk string; nil for a nil reply.
    func decodeOptionalString(_ command: String) throws -> String? {
        switch try checked() {
        case .null: return nil
        case .simpleString(let text): return text
        case .bulkString(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: throw unexpected(command, "a string")
        }
    }

    /// Text of a simple or bulk string.
    func decodeString(_ command: String) throws -> String {
        guard let text = try decodeOptionalString(command) else { throw unexpected(command, "a string") }
        return text
    }

    /// Bytes of a bulk string; nil for a nil reply.
    func decodeOptionalBytes(_ command: String) throws -> [UInt8]? {
        switch try checked() {
        case .null: return nil
        case .bulkString(let bytes): return bytes
        case .simpleString(let text): return Array(text.utf8)
        default: throw unexpected(command, "a bulk string")
        }
    }

    /// An integer reply (or a numeric string).
    func decodeInt(_ command: String) throws -> Int {
        guard let value = try checked().int else { throw unexpected(command, "an integer") }
        return Int(value)
    }

    /// An integer reply that is 1 for yes and 0 for no.
    func decodeBool(_ command: String) throws -> Bool { try decodeInt(command) != 0 }

    /// A floating-point number sent as a bulk string (`ZSCORE`, `ZINCRBY`); nil for a nil reply.
    func decodeOptionalDouble(_ command: String) throws -> Double? {
        guard let text = try decodeOptionalString(command) else { return nil }
        guard let number = Double(text) else { throw unexpected(command, "a number") }
        return number
    }

    /// The elements of an array reply; a nil reply is an empty array.
    func decodeArray(_ command: String) throws -> [RESPValue] {
        switch try checked() {
        case .null: return []
        case .array(let values): return values
        default: throw unexpected(command, "an array")
        }
    }

    /// An array of strings; nil elements are not allowed.
    func decodeStrings(_ command: String) throws -> [String] {
        try decodeArray(command).map { try $0.decodeString(command) }
    }

    /// An array of strings where elements may be nil (`MGET`, `HMGET`).
    func decodeOptionalStrings(_ command: String) throws -> [String?] {
        try decodeArray(command).map { try $0.decodeOptionalString(command) }
    }

    /// A flat array of alternating names and values (`HGETALL`, stream entry fields).
    func decodePairs(_ command: String) throws -> [(String, String)] {
        let values = try decodeArray(command)
        guard values.count.isMultiple(of: 2) else { throw unexpected(command, "an even number of elements") }
        return try stride(from: 0, to: values.count, by: 2).map {
            (try values[$0].decodeString(command), try values[$0 + 1].decodeString(command))
        }
    }

    /// A flat array of alternating names and values, as a dictionary (later duplicates win).
    func decodeDictionary(_ command: String) throws -> [String: String] {
        Dictionary(try decodePairs(command), uniquingKeysWith: { _, last in last })
    }

    func unexpected(_ command: String, _ expected: String) -> RedisError {
        .protocolError("\(command) expected \(expected) in its reply, got \(shape)")
    }

    /// What kind of reply this is, for error messages (without the content, which may be secret).
    var shape: String {
        switch self {
        case .simpleString: "a simple string"
        case .error: "an error"
        case .integer: "an integer"
        case .bulkString(let bytes): "a bulk string of \(bytes.count) bytes"
        case .array(let values): "an array of \(values.count)"
        case .null: "nil"
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a short positive span never becomes 0 (which means "forever").
    var redisMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return remainder > 0 ? millis + 1 : millis
    }
}

/// The reply timeout for a command that blocks up to `block`: nil (no timeout) without a block or for a block of
/// zero, which waits for ever; else the block plus a margin for the network, so the server's own timeout wins.
func blockingTimeout(_ block: Duration?) -> Duration? {
    guard let block else { return nil }
    return block == .zero ? nil : block + .seconds(5)
}
