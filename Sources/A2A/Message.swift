/// The sender of a message.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case unspecified = "ROLE_UNSPECIFIED"
    case user = "ROLE_USER"
    case agent = "ROLE_AGENT"
}

extension Role: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // ProtoJSON readers accept the enum's number as well as its name.
        if let number = try? container.decode(Int.self), number >= 0, number < Role.allCases.count {
            self = Role.allCases[number]
            return
        }
        let text = try container.decode(String.self)
        guard let role = Role(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "role \"\(text)\" is not one of ROLE_USER, ROLE_AGENT")
        }
        self = role
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One turn of communication between a client and an agent.
public struct Message: Sendable, Hashable {
    public var messageId: String
    public var contextId: String?
    public var taskId: String?
    public var role: Role
    public var parts: [Part]
    public var metadata: JSONObject?
    public var extensions: [String]?
    public var referenceTaskIds: [String]?

    public init(
        messageId: String, contextId: String? = nil, taskId: String? = nil, role: Role, parts: [Part],
        metadata: JSONObject? = nil, extensions: [String]? = nil, referenceTaskIds: [String]? = nil
    ) {
        self.messageId = messageId
        self.contextId = contextId
        self.taskId = taskId
        self.role = role
        self.parts = parts
        self.metadata = metadata
        self.extensions = extensions
        self.referenceTaskIds = referenceTaskIds
    }

    /// The text of all text parts, joined by newlines.
    public var text: String {
        parts.compactMap(\.text).joined(separator: "\n")
    }
}

extension Message: Codable {
    enum CodingKeys: String, CodingKey {
        case messageId, contextId, taskId, role, parts, metadata, extensions, referenceTaskIds
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageId = try container.decode(String.self, forKey: .messageId)
        contextId = try container.decodeNonEmpty(.contextId)
        taskId = try container.decodeNonEmpty(.taskId)
        role = try container.decode(Role.self, forKey: .role)
        parts = try container.decodeList(Part.self, .parts)
        metadata = try container.decodeIfPresent(JSONObject.self, forKey: .metadata)
        extensions = try container.decodeIfPresent([String].self, forKey: .extensions)
        referenceTaskIds = try container.decodeIfPresent([String].self, forKey: .referenceTaskIds)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messageId, forKey: .messageId)
        try container.encodeIfPresent(contextId, forKey: .contextId)
        try container.encodeIfPresent(taskId, forKey: .taskId)
        try container.encode(role, forKey: .role)
        try container.encode(parts, forKey: .parts)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeList(extensions, .extensions)
        try container.encodeList(referenceTaskIds, .referenceTaskIds)
    }
}
