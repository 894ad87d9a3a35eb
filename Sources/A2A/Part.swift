import Foundation

/// A piece of content in a message or artifact: exactly one of text, raw bytes, a URL or structured data.
public struct Part: Sendable, Hashable {
    /// The part's content; the proto's `oneof content`.
    public enum Content: Sendable, Hashable {
        case text(String)
        case raw(Data)
        case url(String)
        case data(JSONValue)
    }

    public var content: Content
    public var metadata: JSONObject?
    public var filename: String?
    public var mediaType: String?

    public init(_ content: Content, metadata: JSONObject? = nil, filename: String? = nil, mediaType: String? = nil) {
        self.content = content
        self.metadata = metadata
        self.filename = filename
        self.mediaType = mediaType
    }

    /// A text part.
    public static func text(_ text: String, mediaType: String? = nil) -> Part {
        Part(.text(text), mediaType: mediaType)
    }

    /// A structured-data part.
    public static func data(_ value: JSONValue) -> Part {
        Part(.data(value), mediaType: "application/json")
    }

    /// The text, if this is a text part.
    public var text: String? {
        if case .text(let text) = content { return text }
        return nil
    }
}

extension Part: Codable {
    enum CodingKeys: String, CodingKey {
        case text, raw, url, data, metadata, filename, mediaType
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var found: [Content] = []
        if let text = try container.decodeIfPresent(String.self, forKey: .text) { found.append(.text(text)) }
        if let raw = try container.decodeIfPresent(String.self, forKey: .raw) {
            guard let bytes = Data(base64Encoded: raw) ?? Data(base64URLEncoded: raw) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .raw, in: container, debugDescription: "part.raw is not base64")
            }
            found.append(.raw(bytes))
        }
        if let url = try container.decodeIfPresent(String.self, forKey: .url) { found.append(.url(url)) }
        if container.contains(.data) {
            found.append(.data(try container.decode(JSONValue.self, forKey: .data)))
        }
        guard found.count == 1, let content = found.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: found.isEmpty
                        ? "a part needs exactly one of text, raw, url or data; it has none"
                        : "a part needs exactly one of text, raw, url or data; it has \(found.count)"))
        }
        self.content = content
        metadata = try container.decodeIfPresent(JSONObject.self, forKey: .metadata)
        filename = try container.decodeNonEmpty(.filename)
        mediaType = try container.decodeNonEmpty(.mediaType)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch content {
        case .text(let text): try container.encode(text, forKey: .text)
        case .raw(let bytes): try container.encode(bytes.base64EncodedString(), forKey: .raw)
        case .url(let url): try container.encode(url, forKey: .url)
        case .data(let value): try container.encode(value, forKey: .data)
        }
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeIfPresent(filename, forKey: .filename)
        try container.encodeIfPresent(mediaType, forKey: .mediaType)
    }
}

extension Data {
    /// Decodes base64url (RFC 4648 §5), with or without padding.
    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.count % 4
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        self.init(base64Encoded: base64)
    }
}
