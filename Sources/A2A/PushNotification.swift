/// Credentials the agent sends with each push notification.
public struct AuthenticationInfo: Sendable, Hashable, Codable {
    /// An HTTP authentication scheme, e.g. `Bearer` or `Basic`.
    public var scheme: String
    public var credentials: String?

    public init(scheme: String, credentials: String? = nil) {
        self.scheme = scheme
        self.credentials = credentials
    }
}

/// A webhook that receives a task's updates.
public struct TaskPushNotificationConfig: Sendable, Hashable {
    public var tenant: String?
    public var id: String?
    public var taskId: String?
    public var url: String
    /// Sent back in the `X-A2A-Notification-Token` header so the receiver can check the sender.
    public var token: String?
    public var authentication: AuthenticationInfo?

    public init(
        tenant: String? = nil, id: String? = nil, taskId: String? = nil, url: String, token: String? = nil,
        authentication: AuthenticationInfo? = nil
    ) {
        self.tenant = tenant
        self.id = id
        self.taskId = taskId
        self.url = url
        self.token = token
        self.authentication = authentication
    }
}

extension TaskPushNotificationConfig: Codable {
    enum CodingKeys: String, CodingKey {
        case tenant, id, taskId, url, token, authentication
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenant = try container.decodeNonEmpty(.tenant)
        id = try container.decodeNonEmpty(.id)
        taskId = try container.decodeNonEmpty(.taskId)
        url = try container.decode(String.self, forKey: .url)
        token = try container.decodeNonEmpty(.token)
        authentication = try container.decodeIfPresent(AuthenticationInfo.self, forKey: .authentication)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(tenant, forKey: .tenant)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(taskId, forKey: .taskId)
        try container.encode(url, forKey: .url)
        try container.encodeIfPresent(token, forKey: .token)
        try container.encodeIfPresent(authentication, forKey: .authentication)
    }
}
