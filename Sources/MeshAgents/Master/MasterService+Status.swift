import Discovery
import Foundation

/// `GET /status`: the agents this master sees, the queue, the DLQ and its own load.
public struct MasterStatus: Sendable, Encodable {
    public struct Agent: Sendable, Encodable {
        public var name: String
        public var url: String
        public var health: String
        public var skills: [String]
        public var inFlight: Int
    }

    public struct Queue: Sendable, Encodable {
        /// Entries in the dispatch stream: tasks waiting or running.
        public var length: Int
        /// Entries read by a master and not yet acknowledged: tasks running.
        public var pending: Int
    }

    public var agents: [Agent]
    public var queue: Queue
    public var dlq: Int
    /// Tasks this master runs now.
    public var running: Int
}

extension MasterService {
    public func status() async throws -> MasterStatus {
        let inFlight = services.router.inFlight
        let agents = services.router.directory.records.map { record in
            MasterStatus.Agent(
                name: record.name, url: record.cardURL, health: record.health.rawValue, skills: record.skillIds,
                inFlight: inFlight[record.cardURL] ?? 0)
        }
        let queue = try await consumer.queueSummary()
        let dlq = try await store.redis.xlen(store.keys.deadLetters)
        return MasterStatus(
            agents: agents, queue: .init(length: queue.length, pending: queue.pending), dlq: dlq,
            running: consumer.runningCount)
    }
}
