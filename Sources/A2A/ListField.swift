/// A repeated field that decodes as empty when absent or `null`, as ProtoJSON allows.
@propertyWrapper
public struct ListField<Element: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var wrappedValue: [Element]

    public init(wrappedValue: [Element]) { self.wrappedValue = wrappedValue }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? [] : try container.decode([Element].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    public func decode<T>(_ type: ListField<T>.Type, forKey key: Key) throws -> ListField<T> {
        try decodeIfPresent(type, forKey: key) ?? ListField(wrappedValue: [])
    }
}
