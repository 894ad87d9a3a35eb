import A2A
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// The agent's logic: how a skill receives a request and reports status, artifacts and messages.
///
/// `execute` runs in the background, independent of the HTTP request that started it. It reports
/// through the ``TaskUpdater``: either one direct ``TaskUpdater/reply(_:)`` message, or task events
/// ending in a terminal or interrupted state. Returning while the task is still working completes it;
/// throwing fails it (an ``A2AError`` thrown before any event is returned to the caller instead).
///
/// Both requirements are `nonisolated(nonsending)`: they run on the task's own executor, so the
/// updater's calls need no thread hop. A witness declared the same way gets that benefit.
public protocol AgentExecutor: Sendable {
    nonisolated(nonsending) func execute(_ request: AgentRequest, updater: TaskUpdater) async throws
    /// Called for CancelTask on a task that is not terminal. The default marks it canceled.
    nonisolated(nonsending) func cancel(_ request: AgentRequest, updater: TaskUpdater) async throws
}

extension AgentExecutor {
    public nonisolated(nonsending) func cancel(_ request: AgentRequest, updater: TaskUpdater) async throws {
        try await updater.cancel()
    }
}

/// What an executor is asked to do: the incoming message and the task it belongs to.
public struct AgentRequest: Sendable {
    /// The message from the client, with `taskId` and `contextId` filled in.
    public var message: Message
    /// The task as it was when execution started (new tasks are SUBMITTED with the message in history).
    public var task: A2ATask
    public var configuration: SendMessageConfiguration?
    public var metadata: JSONObject?
    /// Facts about the HTTP call that carried the request.
    public var call: CallContext

    public var taskId: String { task.id }
    public var contextId: String { task.contextId }
    /// True when this message started the task, false for a follow-up to an interrupted task.
    public var isNewTask: Bool

    public init(
        message: Message, task: A2ATask, configuration: SendMessageConfiguration? = nil, metadata: JSONObject? = nil,
        call: CallContext = CallContext(), isNewTask: Bool = true
    ) {
        self.message = message
        self.task = task
        self.configuration = configuration
        self.metadata = metadata
        self.call = call
        self.isNewTask = isNewTask
    }
}

/// Facts about the HTTP call that carried an A2A request.
public struct CallContext: Sendable {
    /// The request id given to the call (from `X-Request-Id` or generated).
    public var requestID: String
    /// Request headers, for trace context and credentials.
    public var headers: HTTPFields
    /// Extensions the client asked for in `A2A-Extensions`.
    public var requestedExtensions: [String]

    public init(requestID: String = Identifier.make(), headers: HTTPFields = [:], requestedExtensions: [String] = []) {
        self.requestID = requestID
        self.headers = headers
        self.requestedExtensions = requestedExtensions
    }
}
