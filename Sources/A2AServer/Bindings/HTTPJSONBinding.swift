import A2A
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// The HTTP+JSON binding (specification §11): resource paths, `google.rpc.Status` errors, SSE streams.
struct HTTPJSONBinding: Sendable {
    let handler: A2ARequestHandler

    func add<Context: RequestContext>(to router: Router<Context>) {
        let handler = self.handler
        router.post("/message:send") { request, context in
            await serve(request, context) { body, _, call in
                try encode(await handler.sendMessage(decode(SendMessageRequest.self, body), call: call))
            }
        }
        router.post("/message:stream") { request, context in
            await serve(request, context) { body, _, call in
                try .stream(
                    encodeEvents(await handler.sendStreamingMessage(decode(SendMessageRequest.self, body), call: call)))
            }
        }
        router.get("/tasks") { request, context in
            await serve(request, context) { _, request, _ in
                try encode(await handler.listTasks(listRequest(request.uri.queryParameters)))
            }
        }
        router.get("/tasks/{id}") { request, context in
            let id = try context.parameters.require("id")
            return await serve(request, context) { _, request, call in
                if let taskId = id.strippingSuffix(":subscribe") {
                    return .stream(encodeEvents(try await handler.subscribeToTask(SubscribeToTaskRequest(id: taskId))))
                }
                let historyLength = try int32(request.uri.queryParameters, "historyLength")
                return try encode(await handler.getTask(GetTaskRequest(id: id, historyLength: historyLength)))
            }
        }
        router.post("/tasks/{id}") { request, context in
            let id = try context.parameters.require("id")
            return await serve(request, context) { body, _, call in
                if let taskId = id.strippingSuffix(":cancel") {
                    var cancel =
                        body.isEmpty
                        ? CancelTaskRequest(id: taskId)
                        : try decode(CancelTaskRequest.self, body, defaults: ["id": .string(taskId)])
                    cancel.id = taskId
                    return try encode(await handler.cancelTask(cancel, call: call))
                }
                if let taskId = id.strippingSuffix(":subscribe") {
                    return .stream(encodeEvents(try await handler.subscribeToTask(SubscribeToTaskRequest(id: taskId))))
                }
                throw A2AError(
                    .methodNotFound,
                    "POST /tasks/\(id) is not an operation; use /tasks/{id}:cancel or /tasks/{id}:subscribe")
            }
        }
        router.post("/tasks/{id}/pushNotificationConfigs") { request, context in
            let taskId = try context.parameters.require("id")
            return await serve(request, context) { body, _, _ in
                var config = try decode(TaskPushNotificationConfig.self, body, defaults: ["taskId": .string(taskId)])
                config.taskId = taskId
                return try encode(await handler.createPushConfig(config))
            }
        }
        router.get("/tasks/{id}/pushNotificationConfigs") { request, context in
            let taskId = try context.parameters.require("id")
            return await serve(request, context) { _, request, _ in
                let query = request.uri.queryParameters
                let list = ListTaskPushNotificationConfigsRequest(
                    taskId: taskId, pageSize: try int32(query, "pageSize"),
                    pageToken: query["pageToken"].map(String.init))
                return try encode(await handler.listPushConfigs(list))
            }
        }
        router.get("/tasks/{id}/pushNotificationConfigs/{configId}") { request, context in
            let taskId = try context.parameters.require("id")
            let configId = try context.parameters.require("configId")
            return await serve(request, context) { _, _, _ in
                try encode(await handler.getPushConfig(TaskPushNotificationConfigRequest(taskId: taskId, id: configId)))
            }
        }
        router.delete("/tasks/{id}/pushNotificationConfigs/{configId}") { request, context in
            let taskId = try context.parameters.require("id")
            let configId = try context.parameters.require("configId")
            return await serve(request, context) { _, _, _ in
                try await handler.deletePushConfig(TaskPushNotificationConfigRequest(taskId: taskId, id: configId))
                return try encode(EmptyResponse())
            }
        }
        router.get("/extendedAgentCard") { request, context in
            await serve(request, context) { _, _, _ in try encode(handler.getExtendedAgentCard()) }
        }
    }

    /// Checks the version, collects the body, runs the operation and maps its errors.
    private func serve<Context: RequestContext>(
        _ request: Request, _ context: Context,
        _ operation: (Data, Request, CallContext) async throws -> A2AReply
    ) async -> Response {
        let requested = request.a2aVersion ?? "0.3"
        guard A2AProtocol.isSupported(version: requested) else {
            return HTTPReplies.error(.versionNotSupported(requested))
        }
        if let contentType = request.headers[.contentType], !HTTPReplies.isJSON(contentType),
            request.head.method == .post
        {
            return HTTPReplies.error(
                A2AError(
                    .contentTypeNotSupported, "Content-Type '\(contentType)' is not supported; send application/json"),
                status: .unsupportedMediaType)
        }
        var request = request
        do {
            let body: Data
            switch try await request.collectBody(limit: handler.limits.maxBodyBytes) {
            case .success(let data): body = data
            case .failure(let tooLarge): return tooLarge.response
            }
            if JSONDepth.exceeds(handler.limits.maxJSONDepth, in: body) {
                throw A2AError.invalidParams(JSONDepth.refusal(limit: handler.limits.maxJSONDepth))
            }
            let reply = try await operation(body, request, request.callContext(requestID: context.id))
            return HTTPReplies.reply(reply, contentType: HTTPReplies.jsonContentType)
        } catch let error as A2AError {
            return HTTPReplies.error(error)
        } catch {
            handler.services.logger.error(
                "internal error", metadata: ["request.id": "\(context.id)", "error": "\(error)"])
            return HTTPReplies.error(A2AError(.internalError, "internal error (request id \(context.id))"))
        }
    }

    private func encode<T: Encodable>(_ value: T) throws -> A2AReply {
        .json(try A2AJSON.encode(value))
    }

    private func encodeEvents(_ events: AsyncThrowingStream<StreamResponse, Error>) -> EncodedEvents {
        EncodedEvents(events: events) {
            try A2AJSON.encode($0)
        } encodeError: { error in
            try A2AJSON.encode(HTTPErrorBody(error as? A2AError ?? A2AError(.internalError, "stream failed: \(error)")))
        }
    }

    /// Decodes a body; `defaults` fill fields that the path already names (e.g. the task id).
    private func decode<T: Decodable>(_ type: T.Type, _ body: Data, defaults: [String: JSONValue] = [:]) throws -> T {
        var data = body
        if !defaults.isEmpty, var object = try? A2AJSON.decode(JSONObject.self, from: body) {
            for (key, value) in defaults where object[key] == nil { object[key] = value }
            data = try A2AJSON.encode(object)
        }
        do {
            return try A2AJSON.decode(type, from: data)
        } catch let error as DecodingError {
            if (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) == nil {
                throw A2AError(.parseError, "Invalid JSON payload: the body is not valid JSON")
            }
            throw A2AError.invalidParams(error.explanation(root: ""), field: error.fieldPath(root: ""))
        }
    }

    private func listRequest(_ query: FlatDictionary<Substring, Substring>) throws -> ListTasksRequest {
        var request = ListTasksRequest()
        request.contextId = query["contextId"].map(String.init)
        if let status = query["status"] {
            guard
                let state = TaskState(rawValue: String(status))
                    ?? Int(status).flatMap({ TaskState.allCases.indices.contains($0) ? TaskState.allCases[$0] : nil })
            else {
                throw A2AError.invalidParams("status '\(status)' is not a TASK_STATE_* value", field: "status")
            }
            request.status = state == .unspecified ? nil : state
        }
        request.pageSize = try int32(query, "pageSize")
        request.pageToken = query["pageToken"].map(String.init)
        request.historyLength = try int32(query, "historyLength")
        if let after = query["statusTimestampAfter"] {
            guard let timestamp = Timestamp(iso8601: String(after)) else {
                throw A2AError.invalidParams(
                    "statusTimestampAfter '\(after)' is not an ISO 8601 time such as 2025-11-09T10:30:00Z",
                    field: "statusTimestampAfter")
            }
            request.statusTimestampAfter = timestamp
        }
        if let include = query["includeArtifacts"] {
            switch include.lowercased() {
            case "true": request.includeArtifacts = true
            case "false": request.includeArtifacts = false
            default:
                throw A2AError.invalidParams(
                    "includeArtifacts must be true or false, got '\(include)'", field: "includeArtifacts")
            }
        }
        return request
    }

    private func int32(_ query: FlatDictionary<Substring, Substring>, _ name: String) throws -> Int32? {
        guard let text = query[Substring(name)] else { return nil }
        guard let value = Int32(text) else {
            throw A2AError.invalidParams("\(name) must be a whole number, got '\(text)'", field: name)
        }
        return value
    }
}

extension String {
    /// The string without `suffix`, or `nil` when it does not end with it.
    func strippingSuffix(_ suffix: String) -> String? {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : nil
    }
}
