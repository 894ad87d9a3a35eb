import A2A
import A2AServer
import Foundation
import MeshRuntime
import Synchronization

/// The master's A2A skill `orchestrate`: a message runs a pipeline (the default one, or the message
/// metadata's `pipeline`) as a mesh task on the message's context, and each step's progress arrives as a
/// WORKING status update; the task ends with the pipeline's artifacts. Canceling the A2A task cancels the
/// mesh task and the agent's task of the step under way.
public final class MasterExecutor: AgentExecutor {
    let service: MasterService
    /// The caller's rate and quota, as on `/task`: a message over them is rejected and creates no mesh task.
    let admission: TaskAdmission
    /// Mesh task ids by A2A task id, for CancelTask.
    let meshTasks = Mutex<[String: String]>([:])

    init(service: MasterService, admission: TaskAdmission) {
        self.service = service
        self.admission = admission
    }

    public nonisolated(nonsending) func execute(_ request: AgentRequest, updater: TaskUpdater) async throws {
        let text = request.message.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let pipeline = request.message.metadata?["pipeline"]?.stringValue ?? request.metadata?["pipeline"]?.stringValue
        let task: MeshTask
        // The runner binds the request's principal again for a streamed message (AgentRunner's carrier).
        let limit = admission.limit()
        do {
            task = try await service.submit(
                TaskSubmission(
                    input: text, pipeline: pipeline, contextId: request.contextId,
                    metadata: ["a2aTask": .string(request.taskId)]),
                limit: limit?.check
            ).task
        } catch let error as MasterRequestError {
            try await updater.reject(updater.agentMessage(error.description))
            return
        } catch let refusal as RateLimitRefusal {
            guard let limit else { throw refusal }
            let (code, message, retryAfter) = TaskAdmission.explanation(refusal, limit: limit)
            try await updater.reject(
                updater.agentMessage(
                    [.text(message)], metadata: ["error": .string(code), "retryAfter": .number(Double(retryAfter))]))
            return
        }
        meshTasks.withLock { $0[request.taskId] = task.id }
        defer { _ = meshTasks.withLock { $0.removeValue(forKey: request.taskId) } }
        try await updater.startWork(
            updater.agentMessage(
                [.text("queued as mesh task \(task.id)")], metadata: ["meshTask": .string(task.id)]))
        for try await item in service.events(task.id, after: nil) {
            guard case .event(_, let event) = item else { continue }
            switch event.type {
            case .completed:
                let final = try await service.task(task.id) ?? task
                for artifact in final.artifacts {
                    try await updater.addArtifact(
                        artifact.parts, artifactId: artifact.artifactId, name: artifact.name, lastChunk: true)
                }
                try await updater.complete()
                return
            case .failed:
                try await updater.fail(updater.agentMessage(event.message ?? "the pipeline failed"))
                return
            case .canceled:
                try await updater.cancel(updater.agentMessage("canceled"))
                return
            default:
                try await updater.updateStatus(
                    .working,
                    message: updater.agentMessage(
                        [.text(InvocationsRoute.describe(event))],
                        metadata: ["meshTask": .string(task.id), "progress": .number(event.progress)]))
            }
        }
    }

    public nonisolated(nonsending) func cancel(_ request: AgentRequest, updater: TaskUpdater) async throws {
        if let id = meshTasks.withLock({ $0[request.taskId] }) {
            _ = try? await service.cancel(id)
        }
        try await updater.cancel()
    }
}
