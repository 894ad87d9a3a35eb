import A2A
import A2AServer
import Foundation
import MeshRuntime

/// One skill kind's behaviour inside a ``WorkerExecutor``: it reads and writes the context's shared memory
/// and reports through the call's updater.
///
/// A handler validates its input before it starts work and throws ``WorkerSkillError`` for bad input or a
/// failure it can explain; the executor turns that into a REJECTED or FAILED task with the error's message.
public protocol WorkerSkillHandler: Sendable {
    nonisolated(nonsending) func run(_ call: SkillCall) async throws
}

/// Everything a handler needs for one request.
public struct SkillCall: Sendable {
    public var request: AgentRequest
    /// The skill the request was routed to.
    public var skill: SkillDefinition
    /// The name of the agent running it, sent to the gateway for billing.
    public var agent: String
    public var memory: any SharedMemory
    public var updater: TaskUpdater

    public init(
        request: AgentRequest, skill: SkillDefinition, agent: String, memory: any SharedMemory, updater: TaskUpdater
    ) {
        self.request = request
        self.skill = skill
        self.agent = agent
        self.memory = memory
        self.updater = updater
    }

    /// The text of the message's text parts, trimmed.
    public var input: String {
        request.message.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public var contextId: String { request.contextId }

    /// What the earlier steps of this conversation left in shared memory.
    public func records() async throws -> ContextRecords {
        ContextRecords(try await memory.all(context: contextId))
    }
}

/// Why a skill could not run, in words for the caller.
public enum WorkerSkillError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request cannot be served as sent; the task is REJECTED and nothing is written.
    case badInput(String)
    /// The skill ran but could not finish, e.g. the gateway or a forward target failed; the task FAILS.
    case failed(String)

    public var description: String {
        switch self {
        case .badInput(let message), .failed(let message): message
        }
    }
}
