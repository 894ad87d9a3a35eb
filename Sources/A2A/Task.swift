/// The lifecycle state of a task.
public enum TaskState: String, Sendable, Hashable, CaseIterable {
    case unspecified = "TASK_STATE_UNSPECIFIED"
    case submitted = "TASK_STATE_SUBMITTED"
    case working = "TASK_STATE_WORKING"
    case completed = "TASK_STATE_COMPLETED"
    case failed = "TASK_STATE_FAILED"
    case canceled = "TASK_STATE_CANCELED"
    case inputRequired = "TASK_STATE_INPUT_REQUIRED"
    case rejected = "TASK_STATE_REJECTED"
    case authRequired = "TASK_STATE_AUTH_REQUIRED"

    /// Completed, failed, canceled or rejected: the task accepts nothing more.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .canceled, .rejected: true
        default: false
        }
    }

    /// Input or auth required: the task waits for the client.
    public var isInterrupted: Bool {
        self == .inputRequired || self == .authRequired
    }
}

extension TaskState: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), number >= 0, number < TaskState.allCases.count {
            self = TaskState.allCases[number]
            return
        }
        let text = try container.decode(String.self)
        guard let state = TaskState(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "task state \"\(text)\" is not a TASK_STATE_* value")
        }
        self = state
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The state of a task at one moment, with an optional message from the agent.
public struct TaskStatus: Sendable, Hashable, Codable {
    public var state: TaskState
    public var message: Message?
    public var timestamp: Timestamp?

    public init(state: TaskState, message: Message? = nil, timestamp: Timestamp? = Timestamp()) {
        self.state = state
        self.message = message
        self.timestamp = timestamp
    }
}

/// An output of a task.
public struct Artifact: Sendable, Hashable {
    public var artifactId: String
    public var name: String?
    public var description: String?
    public var parts: [Part]
    public var metadata: JSONObject?
    public var extensions: [String]?

    public init(
        artifactId: String, name: String? = nil, description: String? = nil, parts: [Part],
        metadata: JSONObject? = nil, extensions: [String]? = nil
    ) {
        self.artifactId = artifactId
        self.name = name
        self.description = description
        self.parts = parts
        self.metadata = metadata
        self.extensions = extensions
    }
}

extension Artifact: Codable {
    enum CodingKeys: String, CodingKey {
        case artifactId, name, description, parts, metadata, extensions
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        artifactId = try container.decode(String.self, forKey: .artifactId)
        name = try container.decodeNonEmpty(.name)
        description = try container.decodeNonEmpty(.description)
        parts = try container.decodeList(Part.self, .parts)
        metadata = try container.decodeIfPresent(JSONObject.self, forKey: .metadata)
        extensions = try container.decodeIfPresent([String].self, forKey: .extensions)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(artifactId, forKey: .artifactId)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(parts, forKey: .parts)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeList(extensions, .extensions)
    }
}

/// A stateful unit of work: status, artifacts and the messages exchanged.
public struct A2ATask: Sendable, Hashable {
    public var id: String
    public var contextId: String
    public var status: TaskStatus
    /// `nil` omits the field (ListTasks without `includeArtifacts`); `[]` writes an empty list.
    public var artifacts: [Artifact]?
    public var history: [Message]?
    public var metadata: JSONObject?

    public init(
        id: String, contextId: String, status: TaskStatus, artifacts: [Artifact]? = nil,
        history: [Message]? = nil, metadata: JSONObject? = nil
    ) {
        self.id = id
        self.contextId = contextId
        self.status = status
        self.artifacts = artifacts
        self.history = history
        self.metadata = metadata
    }
}

extension A2ATask: Codable {
    enum CodingKeys: String, CodingKey {
        case id, contextId, status, artifacts, history, metadata
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        contextId = try container.decodeIfPresent(String.self, forKey: .contextId) ?? ""
        status = try container.decode(TaskStatus.self, forKey: .status)
        artifacts = try container.decodeIfPresent([Artifact].self, forKey: .artifacts)
        history = try container.decodeIfPresent([Message].self, forKey: .history)
        metadata = try container.decodeIfPresent(JSONObject.self, forKey: .metadata)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(contextId, forKey: .contextId)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(artifacts, forKey: .artifacts)
        try container.encodeList(history, .history)
        try container.encodeIfPresent(metadata, forKey: .metadata)
    }
}
