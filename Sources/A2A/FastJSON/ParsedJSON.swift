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

    /// Whether this is an object whose member names are all different, also once underscores and case are
    /// set aside. `Codable` with proto names reads `message_id` as `messageId` and keeps one of two equal
    /// names, so an object failing this goes to `Codable` rather than to a fast reader that may pick the other.
    public var hasDistinctNames: Bool {
        guard case .object(let members) = self else { return false }
        guard members.count > 1 else { return true }
        var loose = false
        for index in members.indices {
            let key = members[index].key
            if key.utf8.contains(UInt8(ascii: "_")) { loose = true }
            for other in members[..<index] where other.key == key { return false }
        }
        guard loose else { return true }
        var seen = Set<String>()
        for member in members {
            let folded = String(
                decoding: member.key.lowercased().utf8.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            guard seen.insert(folded).inserted else { return false }
        }
        return true
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
