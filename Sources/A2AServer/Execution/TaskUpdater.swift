import A2A
import Foundation

/// How an executor reports on its task. Each call is applied, stored and published in order.
public struct TaskUpdater: Sendable {
    public let taskId: String
    public let contextId: String
    let run: TaskRun

    init(run: TaskRun) {
        self.run = run
        taskId = run.taskId
        contextId = run.contextId
    }

    /// Answers with a direct message instead of a task; valid only before any task event.
    public func reply(_ message: Message) async throws {
        var message = message
        message.contextId = message.contextId ?? contextId
        try await run.reply(message)
    }

    /// Sets the task's state, with an optional message from the agent.
    public func updateStatus(_ state: TaskState, message: Message? = nil, metadata: JSONObject? = nil) async throws {
        try await run.apply(.status(TaskStatus(state: state, message: message), metadata: metadata))
    }

    /// Adds an artifact, or with `append` adds parts to the artifact with the same id.
    @discardableResult
    public func addArtifact(
        _ parts: [Part], artifactId: String = Identifier.make(), name: String? = nil, description: String? = nil,
        append: Bool = false, lastChunk: Bool = false, metadata: JSONObject? = nil
    ) async throws -> String {
        let artifact = Artifact(artifactId: artifactId, name: name, description: description, parts: parts, metadata: metadata)
        try await run.apply(.artifact(artifact, append: append, lastChunk: lastChunk, metadata: nil))
        return artifactId
    }

    public func startWork(_ message: Message? = nil) async throws {
        try await updateStatus(.working, message: message)
    }

    public func complete(_ message: Message? = nil) async throws {
        try await updateStatus(.completed, message: message)
    }

    public func fail(_ message: Message? = nil) async throws {
        try await updateStatus(.failed, message: message)
    }

    public func reject(_ message: Message? = nil) async throws {
        try await updateStatus(.rejected, message: message)
    }

    public func requireInput(_ message: Message? = nil) async throws {
        try await updateStatus(.inputRequired, message: message)
    }

    public func requireAuth(_ message: Message? = nil) async throws {
        try await updateStatus(.authRequired, message: message)
    }

    public func cancel(_ message: Message? = nil) async throws {
        try await updateStatus(.canceled, message: message)
    }

    /// A message from the agent in this task's context.
    public func agentMessage(_ parts: [Part], metadata: JSONObject? = nil) -> Message {
        Message(
            messageId: Identifier.make(), contextId: contextId, taskId: taskId, role: .agent, parts: parts,
            metadata: metadata)
    }

    /// A text message from the agent in this task's context.
    public func agentMessage(_ text: String) -> Message {
        agentMessage([.text(text)])
    }
}
