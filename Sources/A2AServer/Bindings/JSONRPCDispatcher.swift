import A2A
import Foundation

/// What a binding sends back: one JSON document, or a stream of events.
public enum A2AReply: Sendable {
    case json(Data)
    case stream(AsyncThrowingStream<Data, Error>)
}

/// The JSON-RPC 2.0 binding: decodes the envelope, checks the version, routes the method, encodes the answer.
public struct JSONRPCDispatcher: Sendable {
    let handler: A2ARequestHandler

    public init(handler: A2ARequestHandler) {
        self.handler = handler
    }

    /// Answers one JSON-RPC request body. `version` is the request's `A2A-Version`, if any.
    public func dispatch(body: Data, version: String?, contentType: String? = nil, call: CallContext) async -> A2AReply {
        if let contentType, !HTTPReplies.isJSON(contentType) {
            let id = (try? A2AJSON.decode(JSONRPCRequestHeader.self, from: body))?.id ?? .null
            return .json(errorBody(id: id, A2AError(
                .contentTypeNotSupported, "Content-Type '\(contentType)' is not supported; JSON-RPC requests are application/json")))
        }
        let header: JSONRPCRequestHeader
        do {
            header = try A2AJSON.decode(JSONRPCRequestHeader.self, from: body)
        } catch {
            return .json(errorBody(id: .null, invalidEnvelope(body, error)))
        }
        let id = header.id ?? .null
        guard header.jsonrpc == "2.0" else {
            return .json(errorBody(id: id, A2AError(.invalidRequest, "jsonrpc must be \"2.0\"")))
        }
        guard let methodName = header.method else {
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
            return try await route(method, id: id, body: body, call: call)
        } catch let error as A2AError {
            return .json(errorBody(id: id, error))
        } catch {
            handler.services.logger.error(
                "internal error", metadata: ["request.id": "\(call.requestID)", "error": "\(error)"])
            return .json(errorBody(id: id, A2AError(.internalError, "internal error (request id \(call.requestID))")))
        }
    }

    private func route(_ method: A2AMethod, id: JSONRPCID, body: Data, call: CallContext) async throws -> A2AReply {
        switch method {
        case .sendMessage:
            return try result(id, await handler.sendMessage(params(SendMessageRequest.self, body), call: call))
        case .sendStreamingMessage:
            let stream = try await handler.sendStreamingMessage(params(SendMessageRequest.self, body), call: call)
            return .stream(Self.encodeEvents(stream, id: id))
        case .getTask:
            return try result(id, await handler.getTask(params(GetTaskRequest.self, body)))
        case .listTasks:
            return try result(id, await handler.listTasks(optionalParams(ListTasksRequest.self, body) ?? ListTasksRequest()))
        case .cancelTask:
            return try result(id, await handler.cancelTask(params(CancelTaskRequest.self, body), call: call))
        case .subscribeToTask:
            let stream = try await handler.subscribeToTask(params(SubscribeToTaskRequest.self, body))
            return .stream(Self.encodeEvents(stream, id: id))
        case .createTaskPushNotificationConfig:
            return try result(id, await handler.createPushConfig(params(TaskPushNotificationConfig.self, body)))
        case .getTaskPushNotificationConfig:
            return try result(id, await handler.getPushConfig(params(TaskPushNotificationConfigRequest.self, body)))
        case .listTaskPushNotificationConfigs:
            return try result(id, await handler.listPushConfigs(params(ListTaskPushNotificationConfigsRequest.self, body)))
        case .deleteTaskPushNotificationConfig:
            try await handler.deletePushConfig(params(TaskPushNotificationConfigRequest.self, body))
            return try result(id, EmptyResponse())
        case .getExtendedAgentCard:
            return try result(id, handler.getExtendedAgentCard())
        }
    }

    private func params<P: Codable & Sendable>(_ type: P.Type, _ body: Data) throws -> P {
        guard let params = try optionalParams(type, body) else {
            throw A2AError.invalidParams("params are required", field: "params")
        }
        return params
    }

    private func optionalParams<P: Codable & Sendable>(_ type: P.Type, _ body: Data) throws -> P? {
        do {
            return try A2AJSON.decode(JSONRPCRequest<P>.self, from: body).params
        } catch let error as DecodingError {
            throw A2AError.invalidParams(error.explanation(root: "params"), field: error.fieldPath(root: "params"))
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
        return A2AError(.invalidRequest, "not a JSON-RPC 2.0 request object: \((error as? DecodingError)?.explanation(root: "") ?? "\(error)")")
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
            return A2AError(.methodNotFound, "Method not found: '\(name)' is the A2A 0.3 name; A2A 1.0 calls it '\(current)'")
        }
        return A2AError(.methodNotFound, "Method not found: '\(name)' is not an A2A 1.0 method")
    }

    /// Wraps each event in a JSON-RPC response; an error ends the stream with a JSON-RPC error event.
    static func encodeEvents(_ events: AsyncThrowingStream<StreamResponse, Error>, id: JSONRPCID) -> AsyncThrowingStream<Data, Error> {
        events.mapToData { event in
            try A2AJSON.encode(JSONRPCResponse(id: id, result: event))
        } onError: { error in
            let a2a = error as? A2AError ?? A2AError(.internalError, "stream failed: \(error)")
            return try A2AJSON.encode(JSONRPCResponse<EmptyResponse>(id: id, error: JSONRPCErrorObject(a2a)))
        }
    }
}

extension AsyncThrowingStream where Element == StreamResponse, Failure == Error {
    /// Encodes each event; a failure becomes one last encoded error event instead of a thrown error.
    func mapToData(
        _ encode: @escaping @Sendable (StreamResponse) throws -> Data,
        onError: @escaping @Sendable (Error) throws -> Data
    ) -> AsyncThrowingStream<Data, Error> {
        var iterator = makeAsyncIterator()
        var failed = false
        return AsyncThrowingStream<Data, Error> {
            guard !failed else { return nil }
            do {
                guard let event = try await iterator.next() else { return nil }
                return try encode(event)
            } catch {
                failed = true
                return try onError(error)
            }
        }
    }
}
