import A2A
import Foundation

/// What a binding sends back: one JSON document, or a stream of events.
public enum A2AReply: Sendable {
    case json(Data)
    case stream(EncodedEvents)
}

/// The JSON-RPC 2.0 binding: decodes the envelope, checks the version, routes the method, encodes the answer.
public struct JSONRPCDispatcher: Sendable {
    let handler: A2ARequestHandler

    public init(handler: A2ARequestHandler) {
        self.handler = handler
    }

    /// Answers one JSON-RPC request body. `version` is the request's `A2A-Version`, if any.
    public func dispatch(body: Data, version: String?, contentType: String? = nil, call: CallContext) async -> A2AReply
    {
        if let contentType, !HTTPReplies.isJSON(contentType) {
            let id = (try? A2AJSON.decode(JSONRPCRequestHeader.self, from: body))?.id ?? .null
            return .json(
                errorBody(
                    id: id,
                    A2AError(
                        .contentTypeNotSupported,
                        "Content-Type '\(contentType)' is not supported; JSON-RPC requests are application/json")))
        }
        if JSONDepth.exceeds(handler.limits.maxJSONDepth, in: body) {
            // The id is not read: reading it means parsing the very nesting this refuses.
            return .json(
                errorBody(
                    id: .null, A2AError.invalidParams(JSONDepth.refusal(limit: handler.limits.maxJSONDepth))))
        }
        let request: JSONRPCCall
        do {
            request = try JSONRPCCall.read(body)
        } catch {
            return .json(errorBody(id: .null, invalidEnvelope(body, error)))
        }
        let id = request.id
        guard request.jsonrpc == "2.0" else {
            return .json(errorBody(id: id, A2AError(.invalidRequest, "jsonrpc must be \"2.0\"")))
        }
        guard let methodName = request.method else {
            return .json(errorBody(id: id, A2AError(.invalidRequest, "the request has no method")))
        }
        guard let method = A2AMethod(rawValue: methodName) else {
            return .json(errorBody(id: id, Self.unknownMethod(methodName)))
        }
        let requested = version.flatMap { $0.isEmpty ? nil : $0 } ?? "0.3"
        guard A2AProtocol.isSupported(version: requested) else {
            return .json(errorBody(id: id, .versionNotSupported(requested)))
        }
        do {
            return try await route(method, id: id, params: request.params, call: call)
        } catch let error as A2AError {
            return .json(errorBody(id: id, error))
        } catch {
            handler.services.logger.error(
                "internal error", metadata: ["request.id": "\(call.requestID)", "error": "\(error)"])
            return .json(errorBody(id: id, A2AError(.internalError, "internal error (request id \(call.requestID))")))
        }
    }

    private func route(_ method: A2AMethod, id: JSONRPCID, params: JSONRPCCall.Params, call: CallContext) async throws
        -> A2AReply
    {
        if case .invalid(let error) = params {
            throw A2AError.invalidParams(error.explanation(root: "params"), field: error.fieldPath(root: "params"))
        }
        switch (method, params) {
        case (.sendMessage, .sendMessage(let request)):
            return try result(id, await handler.sendMessage(request, call: call))
        case (.sendStreamingMessage, .sendMessage(let request)):
            return .stream(Self.encodeEvents(try await handler.sendStreamingMessage(request, call: call), id: id))
        case (.getTask, .getTask(let request)):
            return try result(id, await handler.getTask(request))
        case (.listTasks, .listTasks(let request)):
            return try result(id, await handler.listTasks(request))
        case (.listTasks, .missing):
            return try result(id, await handler.listTasks(ListTasksRequest()))
        case (.cancelTask, .cancelTask(let request)):
            return try result(id, await handler.cancelTask(request, call: call))
        case (.subscribeToTask, .subscribeToTask(let request)):
            return .stream(Self.encodeEvents(try await handler.subscribeToTask(request), id: id))
        case (.createTaskPushNotificationConfig, .pushConfig(let config)):
            return try result(id, await handler.createPushConfig(config))
        case (.getTaskPushNotificationConfig, .pushConfigRequest(let request)):
            return try result(id, await handler.getPushConfig(request))
        case (.listTaskPushNotificationConfigs, .listPushConfigs(let request)):
            return try result(id, await handler.listPushConfigs(request))
        case (.deleteTaskPushNotificationConfig, .pushConfigRequest(let request)):
            try await handler.deletePushConfig(request)
            return try result(id, EmptyResponse())
        case (.getExtendedAgentCard, _):
            return try result(id, handler.getExtendedAgentCard())
        default:
            throw A2AError.invalidParams("params are required for \(method.rawValue)", field: "params")
        }
    }

    private func result<R: Codable & Sendable>(_ id: JSONRPCID, _ value: R) throws -> A2AReply {
        .json(try A2AJSON.encode(JSONRPCResponse(id: id, result: value)))
    }

    private func errorBody(id: JSONRPCID, _ error: A2AError) -> Data {
        (try? A2AJSON.encode(JSONRPCResponse<EmptyResponse>(id: id, error: JSONRPCErrorObject(error)))) ?? Data()
    }

    private func invalidEnvelope(_ body: Data, _ error: Error) -> A2AError {
        guard (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) != nil else {
            return A2AError(.parseError, "Invalid JSON payload: the body is not valid JSON")
        }
        if let text = String(data: body.prefix(1), encoding: .utf8), text == "[" {
            return A2AError(.invalidRequest, "batch requests are not supported; send one JSON-RPC request object")
        }
        return A2AError(
            .invalidRequest,
            "not a JSON-RPC 2.0 request object: \((error as? DecodingError)?.explanation(root: "") ?? "\(error)")")
    }

    static func unknownMethod(_ name: String) -> A2AError {
        let legacy = [
            "message/send": "SendMessage", "message/stream": "SendStreamingMessage", "tasks/get": "GetTask",
            "tasks/list": "ListTasks", "tasks/cancel": "CancelTask", "tasks/resubscribe": "SubscribeToTask",
            "tasks/pushNotificationConfig/set": "CreateTaskPushNotificationConfig",
            "tasks/pushNotificationConfig/get": "GetTaskPushNotificationConfig",
            "tasks/pushNotificationConfig/list": "ListTaskPushNotificationConfigs",
            "tasks/pushNotificationConfig/delete": "DeleteTaskPushNotificationConfig",
            "agent/getAuthenticatedExtendedCard": "GetExtendedAgentCard",
        ]
        if let current = legacy[name] {
            return A2AError(
                .methodNotFound, "Method not found: '\(name)' is the A2A 0.3 name; A2A 1.0 calls it '\(current)'")
        }
        return A2AError(.methodNotFound, "Method not found: '\(name)' is not an A2A 1.0 method")
    }

    /// Wraps each event in a JSON-RPC response; an error ends the stream with a JSON-RPC error event.
    static func encodeEvents(_ events: AsyncThrowingStream<StreamResponse, Error>, id: JSONRPCID) -> EncodedEvents {
        EncodedEvents(events: events) { event in
            try A2AJSON.encode(JSONRPCResponse(id: id, result: event))
        } encodeError: { error in
            let a2a = error as? A2AError ?? A2AError(.internalError, "stream failed: \(error)")
            return try A2AJSON.encode(JSONRPCResponse<EmptyResponse>(id: id, error: JSONRPCErrorObject(a2a)))
        }
    }
}
