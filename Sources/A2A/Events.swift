/// A change of a task's status, sent on streams and push notifications.
public struct TaskStatusUpdateEvent: Sendable, Hashable, Codable {
    public var taskId: String
    public var contextId: String
    public var status: TaskStatus
    public var metadata: JSONObject?

    public init(taskId: String, contextId: String, status: TaskStatus, metadata: JSONObject? = nil) {
        self.taskId = taskId
        self.contextId = contextId
        self.status = status
        self.metadata = metadata
    }
}

/// A new artifact, or a chunk of one, sent on streams and push notifications.
public struct TaskArtifactUpdateEvent: Sendable, Hashable {
    public var taskId: String
    public var contextId: String
    public var artifact: Artifact
    /// Append these parts to the artifact with the same id, rather than replace it.
    public var append: Bool
    /// The last chunk of this artifact.
    public var lastChunk: Bool
    public var metadata: JSONObject?

    public init(
        taskId: String, contextId: String, artifact: Artifact, append: Bool = false, lastChunk: Bool = false,
        metadata: JSONObject? = nil
    ) {
        self.taskId = taskId
        self.contextId = contextId
        self.artifact = artifact
        self.append = append
        self.lastChunk = lastChunk
        self.metadata = metadata
    }
}

extension TaskArtifactUpdateEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case taskId, contextId, artifact, append, lastChunk, metadata
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        taskId = try container.decode(String.self, forKey: .taskId)
        contextId = try container.decodeIfPresent(String.self, forKey: .contextId) ?? ""
        artifact = try container.decode(Artifact.self, forKey: .artifact)
        append = try container.decodeBoolIfPresent(.append) ?? false
        lastChunk = try container.decodeBoolIfPresent(.lastChunk) ?? false
        metadata = try container.decodeIfPresent(JSONObject.self, forKey: .metadata)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(taskId, forKey: .taskId)
        try container.encode(contextId, forKey: .contextId)
        try container.encode(artifact, forKey: .artifact)
        if append { try container.encode(true, forKey: .append) }
        if lastChunk { try container.encode(true, forKey: .lastChunk) }
        try container.encodeIfPresent(metadata, forKey: .metadata)
    }
}

/// The answer to SendMessage: a task, or a direct message.
public enum SendMessageResponse: Sendable, Hashable {
    case task(A2ATask)
    case message(Message)
}

/// One event of a stream or push notification: exactly one of task, message, status or artifact update.
public enum StreamResponse: Sendable, Hashable {
    case task(A2ATask)
    case message(Message)
    case statusUpdate(TaskStatusUpdateEvent)
    case artifactUpdate(TaskArtifactUpdateEvent)

    /// The id of the task the event belongs to, if any.
    public var taskId: String? {
        switch self {
        case .task(let task): task.id
        case .message(let message): message.taskId
        case .statusUpdate(let event): event.taskId
        case .artifactUpdate(let event): event.taskId
        }
    }

    /// True when this event ends a stream: a message, or a task or status in a terminal or interrupted state.
    public var endsStream: Bool {
        switch self {
        case .message: true
        case .task(let task): task.status.state.isTerminal || task.status.state.isInterrupted
        case .statusUpdate(let event): event.status.state.isTerminal || event.status.state.isInterrupted
        case .artifactUpdate: false
        }
    }
}

private enum PayloadKeys: String, CodingKey {
    case task, message, statusUpdate, artifactUpdate
}

extension SendMessageResponse: Codable {
    public init(from decoder: Decoder) throws {
        switch try StreamResponse(from: decoder) {
        case .task(let task): self = .task(task)
        case .message(let message): self = .message(message)
        default:
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "SendMessage result must hold task or message"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .task(let task): try StreamResponse.task(task).encode(to: encoder)
        case .message(let message): try StreamResponse.message(message).encode(to: encoder)
        }
    }
}

extension StreamResponse: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: PayloadKeys.self)
        let present = container.allKeys
        guard present.count == 1, let key = present.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected exactly one of task, message, statusUpdate, artifactUpdate"))
        }
        switch key {
        case .task: self = .task(try container.decode(A2ATask.self, forKey: .task))
        case .message: self = .message(try container.decode(Message.self, forKey: .message))
        case .statusUpdate: self = .statusUpdate(try container.decode(TaskStatusUpdateEvent.self, forKey: .statusUpdate))
        case .artifactUpdate:
            self = .artifactUpdate(try container.decode(TaskArtifactUpdateEvent.self, forKey: .artifactUpdate))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: PayloadKeys.self)
        switch self {
        case .task(let task): try container.encode(task, forKey: .task)
        case .message(let message): try container.encode(message, forKey: .message)
        case .statusUpdate(let event): try container.encode(event, forKey: .statusUpdate)
        case .artifactUpdate(let event): try container.encode(event, forKey: .artifactUpdate)
        }
    }
}
