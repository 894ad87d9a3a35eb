import A2A
import Foundation

/// The HTTP method, path and query of one operation of the HTTP+JSON binding (spec §11.3).
struct HTTPJSONRoute: Sendable, Equatable {
    var method: String
    /// The path below the interface URL, with every id percent-encoded.
    var path: String
    var query: [QueryItem] = []
    var body: Data?
    var streaming = false

    struct QueryItem: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// The full URL below `base`, the interface URL.
    func url(base: String) -> String {
        var url = base.hasSuffix("/") ? String(base.dropLast()) : base
        url += path
        if !query.isEmpty {
            url += "?" + query.map { "\($0.name.percentEncoded)=\($0.value.percentEncoded)" }.joined(separator: "&")
        }
        return url
    }

    static func sendMessage(_ request: SendMessageRequest, streaming: Bool) throws -> HTTPJSONRoute {
        let path = prefix(request.tenant) + (streaming ? "/message:stream" : "/message:send")
        return HTTPJSONRoute(method: "POST", path: path, body: try encodeBody(request, url: path), streaming: streaming)
    }

    static func getTask(_ request: GetTaskRequest) -> HTTPJSONRoute {
        var route = HTTPJSONRoute(method: "GET", path: prefix(request.tenant) + "/tasks/" + request.id.percentEncoded)
        route.add("historyLength", request.historyLength.map(String.init))
        return route
    }

    static func listTasks(_ request: ListTasksRequest) -> HTTPJSONRoute {
        var route = HTTPJSONRoute(method: "GET", path: prefix(request.tenant) + "/tasks")
        route.add("contextId", request.contextId)
        route.add("status", request.status?.rawValue)
        route.add("pageSize", request.pageSize.map(String.init))
        route.add("pageToken", request.pageToken)
        route.add("historyLength", request.historyLength.map(String.init))
        route.add("statusTimestampAfter", request.statusTimestampAfter?.description)
        route.add("includeArtifacts", request.includeArtifacts.map { $0 ? "true" : "false" })
        return route
    }

    static func cancelTask(_ request: CancelTaskRequest) throws -> HTTPJSONRoute {
        let path = prefix(request.tenant) + "/tasks/" + request.id.percentEncoded + ":cancel"
        return HTTPJSONRoute(method: "POST", path: path, body: try encodeBody(request, url: path))
    }

    static func subscribeToTask(_ request: SubscribeToTaskRequest) -> HTTPJSONRoute {
        let path = prefix(request.tenant) + "/tasks/" + request.id.percentEncoded + ":subscribe"
        return HTTPJSONRoute(method: "POST", path: path, streaming: true)
    }

    static func createPushConfig(_ config: TaskPushNotificationConfig) throws -> HTTPJSONRoute {
        let path = prefix(config.tenant) + "/tasks/" + (config.taskId ?? "").percentEncoded + "/pushNotificationConfigs"
        return HTTPJSONRoute(method: "POST", path: path, body: try encodeBody(config, url: path))
    }

    static func getPushConfig(_ request: TaskPushNotificationConfigRequest) -> HTTPJSONRoute {
        HTTPJSONRoute(method: "GET", path: pushConfigPath(request))
    }

    static func deletePushConfig(_ request: TaskPushNotificationConfigRequest) -> HTTPJSONRoute {
        HTTPJSONRoute(method: "DELETE", path: pushConfigPath(request))
    }

    static func listPushConfigs(_ request: ListTaskPushNotificationConfigsRequest) -> HTTPJSONRoute {
        let path = prefix(request.tenant) + "/tasks/" + request.taskId.percentEncoded + "/pushNotificationConfigs"
        var route = HTTPJSONRoute(method: "GET", path: path)
        route.add("pageSize", request.pageSize.map(String.init))
        route.add("pageToken", request.pageToken)
        return route
    }

    static func getExtendedAgentCard(_ request: GetExtendedAgentCardRequest) -> HTTPJSONRoute {
        HTTPJSONRoute(method: "GET", path: prefix(request.tenant) + "/extendedAgentCard")
    }

    private static func pushConfigPath(_ request: TaskPushNotificationConfigRequest) -> String {
        prefix(request.tenant) + "/tasks/" + request.taskId.percentEncoded + "/pushNotificationConfigs/"
            + request.id.percentEncoded
    }

    private static func prefix(_ tenant: String?) -> String {
        guard let tenant, !tenant.isEmpty else { return "" }
        return "/" + tenant.percentEncoded
    }

    private mutating func add(_ name: String, _ value: String?) {
        if let value { query.append(QueryItem(name: name, value: value)) }
    }
}

extension String {
    /// Percent-encodes everything but RFC 3986 unreserved characters, for a path segment or query value.
    var percentEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .rfc3986Unreserved) ?? self
    }
}

extension CharacterSet {
    static let rfc3986Unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
