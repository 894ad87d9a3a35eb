import Foundation

/// JSON coders configured for the A2A wire format (ProtoJSON mapping).
public enum A2AJSON {
    /// A new encoder for A2A payloads. Keys are already camelCase in the model.
    public static func makeEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes]
        return encoder
    }

    /// A new decoder for A2A payloads.
    public static func makeDecoder() -> JSONDecoder {
        JSONDecoder()
    }

    /// Encodes a value to bytes with a fresh encoder.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try makeEncoder().encode(value)
    }

    /// Decodes a value from bytes with a fresh decoder.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try makeDecoder().decode(type, from: data)
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional string, treating the ProtoJSON default `""` as absent.
    func decodeNonEmpty(_ key: Key) throws -> String? {
        guard let value = try decodeIfPresent(String.self, forKey: key), !value.isEmpty else { return nil }
        return value
    }

    /// Decodes an `int32` that ProtoJSON allows as a number or a decimal string.
    func decodeInt32IfPresent(_ key: Key) throws -> Int32? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Int32.self, forKey: key) { return value }
        let text = try decode(String.self, forKey: key)
        guard let value = Int32(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected an int32, got \"\(text)\"")
        }
        return value
    }

    /// Decodes a bool that may be given as `true`/`false` or as a string.
    func decodeBoolIfPresent(_ key: Key) throws -> Bool? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Bool.self, forKey: key) { return value }
        let text = try decode(String.self, forKey: key)
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected a bool, got \"\(text)\"")
        }
    }

    /// Decodes a repeated field, treating absence and `null` as empty.
    func decodeList<T: Decodable>(_ type: T.Type, _ key: Key) throws -> [T] {
        try decodeIfPresent([T].self, forKey: key) ?? []
    }
}

extension KeyedEncodingContainer {
    /// Encodes a repeated field only when it has elements (ProtoJSON omits empty lists).
    mutating func encodeList<T: Encodable>(_ value: [T]?, _ key: Key) throws {
        guard let value, !value.isEmpty else { return }
        try encode(value, forKey: key)
    }
}
