import Foundation

/// A JSON document read by ``JSONParser``: objects keep their members in order, as pairs.
///
/// Written here because Foundation's `JSONDecoder` costs more than the rest of a small request and
/// no faster JSON library is available to this package; the slow path stays the `Codable` one.
public enum ParsedJSON: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ParsedJSON])
    case object([(key: String, value: ParsedJSON)])

    /// The member named `name` (or its snake_case proto name `alternate`), if this is an object.
    public func member(_ name: String, _ alternate: String? = nil) -> ParsedJSON? {
        guard case .object(let members) = self else { return nil }
        for (key, value) in members where key == name || key == alternate {
            if case .null = value { return nil }
            return value
        }
        return nil
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// The same value as a ``JSONValue`` (later duplicate keys win, as in Foundation).
    var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value): .number(value)
        case .string(let value): .string(value)
        case .array(let values): .array(values.map(\.jsonValue))
        case .object(let members):
            .object(Dictionary(members.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { _, last in last }))
        }
    }
}
