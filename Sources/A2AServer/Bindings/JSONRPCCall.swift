import A2A
import Foundation

/// A JSON-RPC request read in one pass: the envelope, then the params typed by the method.
struct JSONRPCCall: Decodable {
    enum Params {
        case missing
        case sendMessage(SendMessageRequest)
        case getTask(GetTaskRequest)
        case listTasks(ListTasksRequest)
        case cancelTask(CancelTaskRequest)
        case subscribeToTask(SubscribeToTaskRequest)
        case pushConfig(TaskPushNotificationConfig)
        case pushConfigRequest(TaskPushNotificationConfigRequest)
        case listPushConfigs(ListTaskPushNotificationConfigsRequest)
        case extendedCard(GetExtendedAgentCardRequest)
        /// The params did not decode: the method is known, the request is invalid.
        case invalid(DecodingError)
    }

    let jsonrpc: String?
    let id: JSONRPCID
    let method: String?
    let params: Params

    enum CodingKeys: String, CodingKey { case jsonrpc, id, method, params }

    init(jsonrpc: String?, id: JSONRPCID, method: String?, params: Params) {
        self.jsonrpc = jsonrpc
        self.id = id
        self.method = method
        self.params = params
    }

    /// Reads the body, taking the fast path for well-formed SendMessage and SendStreamingMessage calls
    /// (the hot path of every agent) and `Codable` for everything else, including every error.
    static func read(_ body: Data) throws -> JSONRPCCall {
        if let call = fast(body) { return call }
        return try A2AJSON.decode(JSONRPCCall.self, from: body)
    }

    /// The call read by ``JSONParser``, or nil for anything `Codable` has to read (or may read differently).
    static func fast(_ body: Data) -> JSONRPCCall? {
        guard let parsed = A2AJSON.fastParse(body), parsed.hasDistinctNames,
            case .string(let method)? = parsed.member("method"),
            method == A2AMethod.sendMessage.rawValue || method == A2AMethod.sendStreamingMessage.rawValue,
            case .string(let jsonrpc)? = parsed.member("jsonrpc"), let params = parsed.member("params"),
            let request = try? SendMessageRequest(parsed: params)
        else { return nil }
        let id: JSONRPCID
        switch parsed.member("id") {
        case nil: id = .null
        case .string(let text)?: id = .string(text)
        case .number(let number)?:
            guard let exact = Int64(exactly: number) else { return nil }
            id = .number(exact)
        default: return nil
        }
        return JSONRPCCall(jsonrpc: jsonrpc, id: id, method: method, params: .sendMessage(request))
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jsonrpc = try? container.decodeIfPresent(String.self, forKey: .jsonrpc)
        id = (try? container.decodeIfPresent(JSONRPCID.self, forKey: .id)) ?? .null
        method = try? container.decodeIfPresent(String.self, forKey: .method)
        guard let method = method.flatMap(A2AMethod.init(rawValue:)), container.contains(.params),
            try !container.decodeNil(forKey: .params)
        else {
            params = .missing
            return
        }
        do {
            switch method {
            case .sendMessage, .sendStreamingMessage:
                params = .sendMessage(try container.decode(SendMessageRequest.self, forKey: .params))
            case .getTask: params = .getTask(try container.decode(GetTaskRequest.self, forKey: .params))
            case .listTasks: params = .listTasks(try container.decode(ListTasksRequest.self, forKey: .params))
            case .cancelTask: params = .cancelTask(try container.decode(CancelTaskRequest.self, forKey: .params))
            case .subscribeToTask:
                params = .subscribeToTask(try container.decode(SubscribeToTaskRequest.self, forKey: .params))
            case .createTaskPushNotificationConfig:
                params = .pushConfig(try container.decode(TaskPushNotificationConfig.self, forKey: .params))
            case .getTaskPushNotificationConfig, .deleteTaskPushNotificationConfig:
                params = .pushConfigRequest(
                    try container.decode(TaskPushNotificationConfigRequest.self, forKey: .params))
            case .listTaskPushNotificationConfigs:
                params = .listPushConfigs(
                    try container.decode(ListTaskPushNotificationConfigsRequest.self, forKey: .params))
            case .getExtendedAgentCard:
                params = .extendedCard(try container.decode(GetExtendedAgentCardRequest.self, forKey: .params))
            }
        } catch let error as DecodingError {
            params = .invalid(error)
        }
    }
}
