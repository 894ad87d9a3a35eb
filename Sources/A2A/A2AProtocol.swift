/// Constants of the A2A protocol version this package implements.
public enum A2AProtocol {
    /// The protocol version served and sent (`Major.Minor`).
    public static let version = "1.0"
    /// Every version this implementation serves.
    public static let supportedVersions = ["1.0"]
    /// The service-parameter header that carries the version.
    public static let versionHeader = "A2A-Version"
    /// The service-parameter header that lists requested extensions.
    public static let extensionsHeader = "A2A-Extensions"
    /// The header a push notification carries its config's token in.
    public static let notificationTokenHeader = "X-A2A-Notification-Token"
    /// The `ErrorInfo.domain` of A2A errors.
    public static let errorDomain = "a2a-protocol.org"
    /// Where the public agent card is served.
    public static let agentCardPath = "/.well-known/agent-card.json"
    /// The media type of HTTP+JSON payloads.
    public static let mediaType = "application/a2a+json"

    /// True when `version` is served: its `Major.Minor` matches a supported version (patch is ignored).
    public static func isSupported(version: String) -> Bool {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        return supportedVersions.contains("\(parts[0]).\(parts[1])")
    }
}

/// The eleven operations of the A2A service, named as the JSON-RPC methods.
public enum A2AMethod: String, Sendable, CaseIterable {
    case sendMessage = "SendMessage"
    case sendStreamingMessage = "SendStreamingMessage"
    case getTask = "GetTask"
    case listTasks = "ListTasks"
    case cancelTask = "CancelTask"
    case subscribeToTask = "SubscribeToTask"
    case createTaskPushNotificationConfig = "CreateTaskPushNotificationConfig"
    case getTaskPushNotificationConfig = "GetTaskPushNotificationConfig"
    case listTaskPushNotificationConfigs = "ListTaskPushNotificationConfigs"
    case deleteTaskPushNotificationConfig = "DeleteTaskPushNotificationConfig"
    case getExtendedAgentCard = "GetExtendedAgentCard"

    /// True for the methods that answer with a Server-Sent Events stream.
    public var isStreaming: Bool {
        self == .sendStreamingMessage || self == .subscribeToTask
    }
}
