import A2A
import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /invocations` (the AgentCore HTTP contract): `{"prompt"|"input", "pipeline"?, "skill"?, ...}` in,
/// the task's progress out as SSE `progress` events, then one `result` or `error` event. Each `data:` is
/// `{"type", "status", "progress", "message", "taskId"}`; `result` adds `artifacts`, `error` adds `error` and
/// `error_type`. AgentCore's session id header becomes the context id.
struct InvocationsRoute: Sendable {
    let service: MasterService
    var maxBodyBytes = 1 << 20
    var maxJSONDepth = A2ALimits().maxJSONDepth
    /// Counts each task against its caller's rate and monthly quota, the same budget as `/task`'s.
    let admission: TaskAdmission

    struct Update: Encodable {
        var type: String
        var status: String
        var progress: Double
        var message: String
        var taskId: String
        var artifacts: [Artifact]?
        var error: String?
        var errorType: String?

        enum CodingKeys: String, CodingKey {
            case type, status, progress, message, taskId, artifacts, error
            case errorType = "error_type"
        }
    }

    func add(to router: Router<BasicRequestContext>) {
        router.post("/invocations") { request, _ in await self.invoke(request) }
    }

    func invoke(_ request: Request) async -> Response {
        let body: JSONObject
        switch await MasterHTTP.objectBody(request, limit: maxBodyBytes, maxDepth: maxJSONDepth) {
        case .success(let object): body = object
        case .failure(let response): return response
        }
        let task: MeshTask
        do {
            var submission = try MasterHTTP.submission(body, inputKeys: ["prompt", "input"])
            if submission.contextId == nil,
                let session = request.headers[HTTPField.Name("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id")!]
            {
                submission.contextId = session
            }
            switch try await admission.submit(submission, to: service) {
            case .accepted(let accepted, _, _): task = accepted
            case .refused(let response): return response
            }
        } catch let error as MasterRequestError {
            return MasterHTTP.error(error)
        } catch {
            return MasterHTTP.error(.serviceUnavailable, "unavailable", "the task could not be stored: \(error)")
        }
        let feed = service.events(task.id, after: nil)
        let service = service
        return Response(
            status: .ok, headers: MasterHTTP.eventStreamHeaders,
            body: ResponseBody { writer in
                for try await item in feed {
                    guard case .event(_, let event) = item else {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        continue
                    }
                    let update: Update
                    switch event.type {
                    case .completed:
                        let final = try await service.task(task.id) ?? task
                        let text = final.artifacts.flatMap(\.parts).compactMap(\.text).joined(separator: "\n")
                        update = Update(
                            type: "result", status: "completed", progress: 1, message: text, taskId: task.id,
                            artifacts: final.artifacts)
                    case .failed, .canceled:
                        let reason = event.message ?? event.type.rawValue
                        update = Update(
                            type: "error", status: event.type.rawValue, progress: event.progress, message: reason,
                            taskId: task.id, error: reason,
                            errorType: event.type == .canceled ? "TaskCanceled" : "TaskFailed")
                    default:
                        update = Update(
                            type: "progress", status: event.state.rawValue, progress: event.progress,
                            message: Self.describe(event), taskId: task.id)
                    }
                    try await writer.write(
                        MasterHTTP.frame(event: update.type, id: nil, data: try MasterStore.encode(update)))
                }
                try await writer.finish(nil)
            })
    }

    /// One line a person can read: "plan started on worker-a (attempt 1)".
    static func describe(_ event: MeshTaskEvent) -> String {
        let skill = event.skill ?? "task"
        let on = event.agent.map { " on \($0)" } ?? ""
        switch event.type {
        case .queued: return "queued"
        case .stepStarted: return "\(skill) started\(on)"
        case .retry: return "\(skill) retried\(on) (attempt \(event.attempt ?? 0))"
        case .stepCompleted:
            return "\(skill) done\(on)" + (event.score.map { String(format: " (score %.2f)", $0) } ?? "")
        case .stepFailed: return "\(skill) failed\(on): \(event.message ?? "")"
        case .improve, .deadLettered, .replayed: return event.message ?? event.type.rawValue
        case .completed, .failed, .canceled: return event.type.rawValue
        }
    }
}
