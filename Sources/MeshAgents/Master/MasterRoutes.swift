import A2A
import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The master's own HTTP surface beside A2A: `/task`, `/result`, `/dlq`, `/status` (`/dispatch` and
/// `/invocations` are in their own files).
struct MasterRoutes: Sendable {
    let service: MasterService
    var maxBodyBytes = 1 << 20
    var maxJSONDepth = A2ALimits().maxJSONDepth
    /// Counts each task against its caller's rate and monthly quota.
    let admission: TaskAdmission

    func add(to router: Router<BasicRequestContext>) {
        router.post("/task") { request, _ in await self.submit(request) }
        router.get("/task/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let task = try await service.task(id) else {
                return MasterHTTP.error(.notFound, "not_found", "no task \(id)")
            }
            return MasterHTTP.json(.ok, TaskView(task))
        }
        router.post("/task/{id}/cancel") { _, context in
            let id = try context.parameters.require("id")
            do {
                return MasterHTTP.json(.ok, TaskView(try await service.cancel(id)))
            } catch let error as MasterRequestError {
                return MasterHTTP.error(error)
            }
        }
        router.get("/task/{id}/events") { request, context in
            try await self.events(request, id: try context.parameters.require("id"))
        }
        router.get("/result/{id}") { request, context in
            try await self.result(request, id: try context.parameters.require("id"))
        }
        router.post("/result") { request, _ in await self.receivePush(request) }
        router.get("/dlq") { _, _ in
            let (size, entries) = try await service.deadLetters()
            struct Body: Encodable {
                var size: Int
                var entries: [DeadLetter]
            }
            return MasterHTTP.json(.ok, Body(size: size, entries: entries))
        }
        // Webhook deliveries given up on (`{prefix}webhook-dlq`), apart from the tasks in `/dlq`.
        router.get("/dlq/webhooks") { _, _ in
            let letters = service.services.webhooks.deadLetters
            struct Body: Encodable {
                var size: Int
                var entries: [WebhookDeadLetter]
            }
            return MasterHTTP.json(
                .ok, Body(size: try await letters.count(), entries: try await letters.letters(limit: 100)))
        }
        router.post("/dlq/{id}/replay") { _, context in
            do {
                return MasterHTTP.json(
                    .accepted, TaskView(try await service.replay(try context.parameters.require("id"))))
            } catch let error as MasterRequestError {
                return MasterHTTP.error(error)
            }
        }
        router.get("/status") { _, _ in MasterHTTP.json(.ok, try await service.status()) }
    }

    func submit(_ request: Request) async -> Response {
        let body: JSONObject
        switch await MasterHTTP.objectBody(request, limit: maxBodyBytes, maxDepth: maxJSONDepth) {
        case .success(let object): body = object
        case .failure(let response): return response
        }
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        if let key, key.isEmpty || key.count > 255 {
            return MasterHTTP.error(.badRequest, "invalid_request", "Idempotency-Key must be 1 to 255 characters")
        }
        do {
            let submission = try MasterHTTP.submission(body)
            switch try await admission.submit(submission, idempotencyKey: key, to: service) {
            case .accepted(let task, let replayed, var headers):
                headers[.location] = "/task/\(task.id)"
                if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
                return MasterHTTP.json(.accepted, Accepted(task), headers: headers)
            case .refused(let response):
                return response
            }
        } catch let error as MasterRequestError {
            return MasterHTTP.error(error)
        } catch {
            return MasterHTTP.error(.serviceUnavailable, "unavailable", "the task could not be stored: \(error)")
        }
    }

    /// `202`'s body: the id, where it stands, and its links.
    struct Accepted: Encodable {
        var id: String
        var state: MeshTaskState
        var pipeline: String?
        var skill: String?
        var contextId: String
        var links: TaskLinks
        var traceId: String?

        init(_ task: MeshTask) {
            id = task.id
            state = task.state
            pipeline = task.pipeline
            skill = task.skill
            contextId = task.contextId
            links = TaskLinks(task.id)
            traceId = task.traceId
        }
    }

    func result(_ request: Request, id: String) async throws -> Response {
        var wait = Duration.zero
        if let text = request.uri.queryParameters["wait"].map(String.init) {
            guard let seconds = Double(text), seconds >= 0, seconds <= 300 else {
                return MasterHTTP.error(
                    .badRequest, "invalid_request", "'wait' must be seconds from 0 to 300, got '\(text)'")
            }
            wait = .milliseconds(Int64(seconds * 1000))
        }
        guard let task = try await service.result(id, wait: wait) else {
            return MasterHTTP.error(.notFound, "not_found", "no task \(id)")
        }
        guard task.state.isTerminal else {
            struct Pending: Encodable {
                var id: String
                var state: MeshTaskState
                var progress: Double
                var message: String
            }
            return MasterHTTP.json(
                .accepted,
                Pending(id: id, state: task.state, progress: task.progress, message: "the task has not finished yet"))
        }
        return MasterHTTP.json(.ok, TaskResult(task))
    }

    /// The push receiver: a known token wakes the step waiting for it.
    func receivePush(_ request: Request) async -> Response {
        var request = request
        guard let token = request.headers[HTTPField.Name(A2AProtocol.notificationTokenHeader)!], !token.isEmpty else {
            return MasterHTTP.error(.unauthorized, "unauthorized", "missing \(A2AProtocol.notificationTokenHeader)")
        }
        guard let buffer = try? await request.collectBody(upTo: maxBodyBytes),
            (try? JSONDecoder().decode(StreamResponse.self, from: buffer)) != nil
        else {
            return MasterHTTP.error(.badRequest, "invalid_request", "the body is not an A2A StreamResponse")
        }
        guard service.services.inbox.deliver(token: token) else {
            return MasterHTTP.error(.unauthorized, "unauthorized", "unknown or expired notification token")
        }
        return Response(status: .noContent)
    }

    func events(_ request: Request, id: String) async throws -> Response {
        guard try await service.task(id) != nil else {
            return MasterHTTP.error(.notFound, "not_found", "no task \(id)")
        }
        let last =
            request.headers[HTTPField.Name("Last-Event-ID")!]
            ?? request.uri.queryParameters["after"].map(String.init)
        if let last, !Self.isStreamID(last) {
            return MasterHTTP.error(
                .badRequest, "invalid_request", "Last-Event-ID must be an event id like 1700000000000-0, got '\(last)'")
        }
        let feed = service.events(id, after: last)
        return Response(
            status: .ok, headers: MasterHTTP.eventStreamHeaders,
            body: ResponseBody { writer in
                do {
                    for try await item in feed {
                        switch item {
                        case .event(let entryID, let event):
                            try await writer.write(
                                MasterHTTP.frame(
                                    event: event.type.rawValue, id: entryID, data: try MasterStore.encode(event)))
                        case .idle:
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                } catch let error as MasterRequestError {
                    try await writer.write(
                        MasterHTTP.frame(
                            event: "error", id: nil, data: Data(#"{"message":"\#(error.description)"}"#.utf8)))
                }
                try await writer.finish(nil)
            })
    }

    static func isStreamID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}

/// `GET /result/{id}`'s body for a task that ended.
public struct TaskResult: Sendable, Encodable {
    public var id: String
    public var state: MeshTaskState
    public var contextId: String
    public var artifacts: [Artifact]
    public var error: String?
    /// The trace the task ran in, to find it in the agents' logs.
    public var traceId: String?

    public init(_ task: MeshTask) {
        id = task.id
        state = task.state
        contextId = task.contextId
        artifacts = task.state == .completed ? task.artifacts : []
        error = task.error
        traceId = task.traceId
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
