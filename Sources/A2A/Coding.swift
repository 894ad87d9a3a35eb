import Foundation

/// JSON coders configured for the A2A wire format (ProtoJSON mapping).
public enum A2AJSON {
    /// A new encoder for A2A payloads. Keys are already camelCase in the model.
    public static func makeEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes]
        return encoder
    }

    /// A new decoder for A2A payloads that reads field names in camelCase only.
    public static func makeDecoder() -> JSONDecoder {
        JSONDecoder()
    }

    /// A decoder that also accepts the proto's snake_case field names, as ProtoJSON parsers must.
    ///
    /// Keys inside free-form values (`metadata`, `data`, `header`, `scopes`) are left exactly as sent.
    public static func makeProtoNameDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            let key = path[path.count - 1]
            guard key.stringValue.contains("_"), key.intValue == nil,
                !path.dropLast().contains(where: { freeFormFields.contains($0.stringValue) })
            else { return key }
            return ProtoFieldKey(camelCase(key.stringValue))
        }
        return decoder
    }

    private static let encoder = makeEncoder()
    private static let decoder = makeDecoder()
    private static let protoNameDecoder = makeProtoNameDecoder()
    private static let freeFormFields: Set<String> = ["metadata", "data", "header", "scopes"]

    /// Encodes a value to bytes; the types on the request path write themselves (see ``JSONWriter``).
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        if let writable = value as? any JSONWritable {
            return try writable.jsonData()
        }
        return try encoder.encode(value)
    }

    /// Encodes a value through its `Codable` conformance only.
    public static func encodeWithFoundation<T: Encodable>(_ value: T) throws -> Data {
        try encoder.encode(value)
    }

    /// Decodes a value from bytes, accepting camelCase and the proto's snake_case field names.
    ///
    /// The types of the response path (tasks, messages, stream events and their JSON-RPC envelopes)
    /// are read by a hand-written parser first; whatever it does not accept goes through `Codable`,
    /// so the value and any error are those of ``decodeWithFoundation(_:from:)``.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let fastType = type as? any FastDecodable.Type, let value = fastDecode(fastType, from: data) as? T {
            return value
        }
        return try decodeWithFoundation(type, from: data)
    }

    /// Decodes a value through its `Codable` conformance only, accepting both kinds of field names.
    public static func decodeWithFoundation<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        // Only a body with an underscore can hold a snake_case name; the plain decoder is faster.
        if data.contains(UInt8(ascii: "_")) {
            return try protoNameDecoder.decode(type, from: data)
        }
        return try decoder.decode(type, from: data)
    }

    static func camelCase(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = !result.isEmpty
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }
}

private struct ProtoFieldKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ value: String) { stringValue = value }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
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
