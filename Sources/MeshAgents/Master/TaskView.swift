import A2A
import Foundation

/// A task as `GET /task/{id}` (and webhooks) show it: the stored task plus where it stands.
public struct TaskView: Sendable, Encodable {
    public struct Step: Sendable, Encodable {
        public var index: Int
        public var skill: String?
        public var round: Int
        public var attempt: Int
    }

    public var task: MeshTask

    public init(_ task: MeshTask) {
        self.task = task
    }

    enum CodingKeys: String, CodingKey {
        case step, progress, links, traceId
    }

    public func encode(to encoder: Encoder) throws {
        try task.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(
            Step(index: task.stepIndex, skill: task.currentSkill, round: task.round, attempt: task.attempt),
            forKey: .step)
        try container.encode(task.progress, forKey: .progress)
        try container.encode(TaskLinks(task.id), forKey: .links)
        try container.encodeIfPresent(task.traceId, forKey: .traceId)
    }
}

/// Where a task's parts are served.
public struct TaskLinks: Sendable, Codable, Hashable {
    public var task: String
    public var events: String
    public var result: String
    public var cancel: String

    enum CodingKeys: String, CodingKey {
        case task = "self"
        case events, result, cancel
    }

    public init(_ id: String) {
        task = "/task/\(id)"
        events = "/task/\(id)/events"
        result = "/result/\(id)"
        cancel = "/task/\(id)/cancel"
    }
}
