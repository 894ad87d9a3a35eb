import A2A
import Foundation

/// The document is not the shape the fast reader expects; the caller decodes it with `JSONDecoder` instead.
struct MeshJSONRefusal: Error {}

/// Reads the members of ``MeshJSON``'s records from a ``ParsedJSON`` as their `Codable` conformances would:
/// `null` is absent for optionals and refused for the rest. Everything the conformance would not take, and some
/// things it would (unknown or repeated keys, other timestamp forms it still parses), are refused, so the
/// fallback decides them.
enum MeshJSONRead {
    /// The keys of an object seen so far: a repeated key is refused (Foundation keeps the first).
    struct Seen {
        private var bits: UInt64 = 0

        mutating func mark(_ bit: Int) throws(MeshJSONRefusal) {
            let mask: UInt64 = 1 << UInt64(bit)
            guard bits & mask == 0 else { throw MeshJSONRefusal() }
            bits |= mask
        }
    }

    static func members(_ value: ParsedJSON) throws(MeshJSONRefusal) -> [(key: String, value: ParsedJSON)] {
        guard case .object(let members) = value else { throw MeshJSONRefusal() }
        return members
    }

    static func string(_ value: ParsedJSON) throws(MeshJSONRefusal) -> String {
        guard case .string(let text) = value else { throw MeshJSONRefusal() }
        return text
    }

    static func optionalString(_ value: ParsedJSON) throws(MeshJSONRefusal) -> String? {
        if case .null = value { return nil }
        return try string(value)
    }

    /// An optional string where `""` means absent, as A2A's `decodeNonEmpty`.
    static func nonEmptyString(_ value: ParsedJSON) throws(MeshJSONRefusal) -> String? {
        guard let text = try optionalString(value), !text.isEmpty else { return nil }
        return text
    }

    static func strings(_ value: ParsedJSON) throws(MeshJSONRefusal) -> [String] {
        guard case .array(let elements) = value else { throw MeshJSONRefusal() }
        var result: [String] = []
        result.reserveCapacity(elements.count)
        for element in elements { result.append(try string(element)) }
        return result
    }

    /// An integral number; beyond 2^53 the parsed `Double` may have lost digits that `JSONDecoder` keeps.
    static func int(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Int {
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 9_007_199_254_740_992
        else { throw MeshJSONRefusal() }
        return Int(number)
    }

    static func optionalInt(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Int? {
        if case .null = value { return nil }
        return try int(value)
    }

    static func double(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Double {
        guard case .number(let number) = value else { throw MeshJSONRefusal() }
        return number
    }

    static func optionalDouble(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Double? {
        if case .null = value { return nil }
        return try double(value)
    }

    static func bool(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Bool {
        guard case .bool(let flag) = value else { throw MeshJSONRefusal() }
        return flag
    }

    static func timestamp(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Timestamp {
        let text = try string(value)
        // The form Timestamp writes is read without ISO8601FormatStyle (about a microsecond each, several per task).
        if let date = Timestamp.fastDate(text) { return Timestamp(date) }
        guard let timestamp = Timestamp(iso8601: text) else { throw MeshJSONRefusal() }
        return timestamp
    }

    static func optionalTimestamp(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Timestamp? {
        if case .null = value { return nil }
        return try timestamp(value)
    }

    /// A `JSONValue`, refusing repeated keys (Foundation's choice among them is its own).
    static func jsonValue(_ value: ParsedJSON) throws(MeshJSONRefusal) -> JSONValue {
        do { return try value.strictJSONValue() } catch { throw MeshJSONRefusal() }
    }

    static func optionalObject(_ value: ParsedJSON) throws(MeshJSONRefusal) -> JSONObject? {
        do { return try value.objectValue() } catch { throw MeshJSONRefusal() }
    }

    // Artifacts and parts are read here rather than with A2A's readers: those also take the proto's snake_case
    // names, which the master's plain `JSONDecoder` does not, and a fast path must read exactly what it reads.
    /// An ``Artifact`` as its `Codable` conformance reads it.
    static func artifact(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Artifact {
        var seen = Seen()
        var artifactId: String?
        var name: String?
        var description: String?
        var parts: [Part] = []
        var metadata: JSONObject?
        var extensions: [String]?
        for (key, value) in try members(value) {
            switch key {
            case "artifactId": try seen.mark(0); artifactId = try string(value)
            case "name": try seen.mark(1); name = try nonEmptyString(value)
            case "description": try seen.mark(2); description = try nonEmptyString(value)
            case "parts":
                try seen.mark(3)
                guard case .array(let elements) = value else {
                    if case .null = value { continue }
                    throw MeshJSONRefusal()
                }
                parts.reserveCapacity(elements.count)
                for element in elements { parts.append(try part(element)) }
            case "metadata": try seen.mark(4); metadata = try optionalObject(value)
            case "extensions":
                try seen.mark(5)
                if case .null = value { continue }
                extensions = try strings(value)
            default: throw MeshJSONRefusal()
            }
        }
        guard let artifactId else { throw MeshJSONRefusal() }
        return Artifact(
            artifactId: artifactId, name: name, description: description, parts: parts, metadata: metadata,
            extensions: extensions)
    }

    /// A ``Part`` as its `Codable` conformance reads it: exactly one of text, raw, url and data (`null` counts
    /// as absent, except for data, where it is the JSON value `null`).
    static func part(_ value: ParsedJSON) throws(MeshJSONRefusal) -> Part {
        var seen = Seen()
        var content: Part.Content?
        var count = 0
        var metadata: JSONObject?
        var filename: String?
        var mediaType: String?
        for (key, value) in try members(value) {
            switch key {
            case "text":
                try seen.mark(0)
                guard let text = try optionalString(value) else { continue }
                content = .text(text)
                count += 1
            case "raw":
                try seen.mark(1)
                guard let raw = try optionalString(value) else { continue }
                // base64url, which the conformance also takes, is left to it.
                guard let bytes = Data(base64Encoded: raw) else { throw MeshJSONRefusal() }
                content = .raw(bytes)
                count += 1
            case "url":
                try seen.mark(2)
                guard let url = try optionalString(value) else { continue }
                content = .url(url)
                count += 1
            case "data":
                try seen.mark(3)
                content = .data(try jsonValue(value))
                count += 1
            case "metadata": try seen.mark(4); metadata = try optionalObject(value)
            case "filename": try seen.mark(5); filename = try nonEmptyString(value)
            case "mediaType": try seen.mark(6); mediaType = try nonEmptyString(value)
            default: throw MeshJSONRefusal()
            }
        }
        guard count == 1, let content else { throw MeshJSONRefusal() }
        return Part(content, metadata: metadata, filename: filename, mediaType: mediaType)
    }
}
