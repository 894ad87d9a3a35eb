import A2A
import Foundation

/// One entry of a task's event stream (`GET /task/{id}/events`): every transition, in order.
public struct MeshTaskEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable {
        case queued
        case stepStarted = "step-started"
        case stepCompleted = "step-completed"
        case stepFailed = "step-failed"
        case retry
        case improve
        case completed, failed, canceled
        case deadLettered = "dead-lettered"
        case replayed

        /// Events after which the task does not move again (a replay starts a new run).
        public var isTerminal: Bool { self == .completed || self == .failed || self == .canceled }
    }

    public var type: Kind
    public var taskId: String
    public var state: MeshTaskState
    public var skill: String?
    public var agent: String?
    public var attempt: Int?
    public var round: Int?
    public var score: Double?
    public var message: String?
    public var progress: Double
    public var time: Timestamp

    public init(
        _ type: Kind, task: MeshTask, skill: String? = nil, agent: String? = nil, attempt: Int? = nil,
        score: Double? = nil, message: String? = nil
    ) {
        self.type = type
        taskId = task.id
        state = task.state
        self.skill = skill
        self.agent = agent
        self.attempt = attempt
        round = skill == nil ? nil : task.round
        self.score = score
        self.message = message
        progress = task.progress
        time = Timestamp()
    }
}
