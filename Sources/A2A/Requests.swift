/// How the agent should handle a sent message.
public struct SendMessageConfiguration: Sendable, Hashable {
    public var acceptedOutputModes: [String]?
    public var taskPushNotificationConfig: TaskPushNotificationConfig?
    public var historyLength: Int32?
    /// Answer as soon as the task exists instead of waiting for a terminal or interrupted state.
    public var returnImmediately: Bool

    public init(
        acceptedOutputModes: [String]? = nil, taskPushNotificationConfig: TaskPushNotificationConfig? = nil,
        historyLength: Int32? = nil, returnImmediately: Bool = false
    ) {
        self.acceptedOutputModes = acceptedOutputModes
        self.taskPushNotificationConfig = taskPushNotificationConfig
        self.historyLength = historyLength
        self.returnImmediately = returnImmediately
    }
}

extension SendMessageConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case acceptedOutputModes, taskPushNotificationConfig, historyLength, returnImmediately
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        acceptedOutputModes = try container.decodeIfPresent([String].self, forKey: .acceptedOutputModes)
        taskPushNotificationConfig = try container.decodeIfPresent(
            TaskPushNotificationConfig.self, forKey: .taskPushNotificationConfig)
        historyLength = try container.decodeInt32IfPresent(.historyLength)
        returnImmediately = try container.decodeBoolIfPresent(.returnImmediately) ?? false
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeList(acceptedOutputModes, .acceptedOutputModes)
        try container.encodeIfPresent(taskPushNotificationConfig, forKey: .taskPushNotificationConfig)
        try container.encodeIfPresent(historyLength, forKey: .historyLength)
        if returnImmediately { try container.encode(true, forKey: .returnImmediately) }
    }
}

/// SendMessage and SendStreamingMessage parameters.
public struct SendMessageRequest: Sendable, Hashable, Codable {
    public var tenant: String?
    public var message: Message
    public var configuration: SendMessageConfiguration?
    public var metadata: JSONObject?

    public init(
        tenant: String? = nil, message: Message, configuration: SendMessageConfiguration? = nil,
        metadata: JSONObject? = nil
    ) {
        self.tenant = tenant
        self.message = message
        self.configuration = configuration
        self.metadata = metadata
    }
}

/// GetTask parameters.
public struct GetTaskRequest: Sendable, Hashable {
    public var tenant: String?
    public var id: String
    public var historyLength: Int32?

    public init(tenant: String? = nil, id: String, historyLength: Int32? = nil) {
        self.tenant = tenant
        self.id = id
        self.historyLength = historyLength
    }
}

extension GetTaskRequest: Codable {
    enum CodingKeys: String, CodingKey { case tenant, id, historyLength }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenant = try container.decodeNonEmpty(.tenant)
        id = try container.decode(String.self, forKey: .id)
        historyLength = try container.decodeInt32IfPresent(.historyLength)
    }
}

/// ListTasks parameters: filters and a page cursor.
public struct ListTasksRequest: Sendable, Hashable {
    public var tenant: String?
    public var contextId: String?
    public var status: TaskState?
    public var pageSize: Int32?
    public var pageToken: String?
    public var historyLength: Int32?
    public var statusTimestampAfter: Timestamp?
    public var includeArtifacts: Bool?

    public init(
        tenant: String? = nil, contextId: String? = nil, status: TaskState? = nil, pageSize: Int32? = nil,
        pageToken: String? = nil, historyLength: Int32? = nil, statusTimestampAfter: Timestamp? = nil,
        includeArtifacts: Bool? = nil
    ) {
        self.tenant = tenant
        self.contextId = contextId
        self.status = status
        self.pageSize = pageSize
        self.pageToken = pageToken
        self.historyLength = historyLength
        self.statusTimestampAfter = statusTimestampAfter
        self.includeArtifacts = includeArtifacts
    }
}

extension ListTasksRequest: Codable {
    enum CodingKeys: String, CodingKey {
        case tenant, contextId, status, pageSize, pageToken, historyLength, statusTimestampAfter, includeArtifacts
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenant = try container.decodeNonEmpty(.tenant)
        contextId = try container.decodeNonEmpty(.contextId)
        let state = try container.decodeIfPresent(TaskState.self, forKey: .status)
        status = state == .unspecified ? nil : state
        pageSize = try container.decodeInt32IfPresent(.pageSize)
        pageToken = try container.decodeNonEmpty(.pageToken)
        historyLength = try container.decodeInt32IfPresent(.historyLength)
        statusTimestampAfter = try container.decodeIfPresent(Timestamp.self, forKey: .statusTimestampAfter)
        includeArtifacts = try container.decodeBoolIfPresent(.includeArtifacts)
    }
}

/// A page of tasks.
public struct ListTasksResponse: Sendable, Hashable, Codable {
    @ListField public var tasks: [A2ATask]
    /// Empty on the last page; always present.
    public var nextPageToken: String
    public var pageSize: Int32
    public var totalSize: Int32

    public init(tasks: [A2ATask], nextPageToken: String, pageSize: Int32, totalSize: Int32) {
        self.tasks = tasks
        self.nextPageToken = nextPageToken
        self.pageSize = pageSize
        self.totalSize = totalSize
    }

    enum CodingKeys: String, CodingKey { case tasks, nextPageToken, pageSize, totalSize }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tasks = try container.decodeList(A2ATask.self, .tasks)
        nextPageToken = try container.decodeIfPresent(String.self, forKey: .nextPageToken) ?? ""
        pageSize = try container.decodeInt32IfPresent(.pageSize) ?? 0
        totalSize = try container.decodeInt32IfPresent(.totalSize) ?? 0
    }
}

/// CancelTask parameters.
public struct CancelTaskRequest: Sendable, Hashable, Codable {
    public var tenant: String?
    public var id: String
    public var metadata: JSONObject?

    public init(tenant: String? = nil, id: String, metadata: JSONObject? = nil) {
        self.tenant = tenant
        self.id = id
        self.metadata = metadata
    }
}

/// SubscribeToTask parameters.
public struct SubscribeToTaskRequest: Sendable, Hashable, Codable {
    public var tenant: String?
    public var id: String

    public init(tenant: String? = nil, id: String) {
        self.tenant = tenant
        self.id = id
    }
}

/// GetTaskPushNotificationConfig and DeleteTaskPushNotificationConfig parameters.
public struct TaskPushNotificationConfigRequest: Sendable, Hashable, Codable {
    public var tenant: String?
    public var taskId: String
    public var id: String

    public init(tenant: String? = nil, taskId: String, id: String) {
        self.tenant = tenant
        self.taskId = taskId
        self.id = id
    }
}

public typealias GetTaskPushNotificationConfigRequest = TaskPushNotificationConfigRequest
public typealias DeleteTaskPushNotificationConfigRequest = TaskPushNotificationConfigRequest

/// ListTaskPushNotificationConfigs parameters.
public struct ListTaskPushNotificationConfigsRequest: Sendable, Hashable {
    public var tenant: String?
    public var taskId: String
    public var pageSize: Int32?
    public var pageToken: String?

    public init(tenant: String? = nil, taskId: String, pageSize: Int32? = nil, pageToken: String? = nil) {
        self.tenant = tenant
        self.taskId = taskId
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

extension ListTaskPushNotificationConfigsRequest: Codable {
    enum CodingKeys: String, CodingKey { case tenant, taskId, pageSize, pageToken }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenant = try container.decodeNonEmpty(.tenant)
        taskId = try container.decode(String.self, forKey: .taskId)
        pageSize = try container.decodeInt32IfPresent(.pageSize)
        pageToken = try container.decodeNonEmpty(.pageToken)
    }
}

/// A page of push-notification configs.
public struct ListTaskPushNotificationConfigsResponse: Sendable, Hashable, Codable {
    @ListField public var configs: [TaskPushNotificationConfig]
    public var nextPageToken: String?

    public init(configs: [TaskPushNotificationConfig], nextPageToken: String? = nil) {
        self.configs = configs
        self.nextPageToken = nextPageToken
    }
}

/// GetExtendedAgentCard parameters.
public struct GetExtendedAgentCardRequest: Sendable, Hashable, Codable {
    public var tenant: String?

    public init(tenant: String? = nil) { self.tenant = tenant }
}

/// The empty result of DeleteTaskPushNotificationConfig (`google.protobuf.Empty`).
public struct EmptyResponse: Sendable, Hashable, Codable {
    public init() {}
}
