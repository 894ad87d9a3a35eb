/// The Redis key layout of one agent (DESIGN.md, "Shared memory in Redis").
///
/// Keys that belong to one task carry the task id as a hash tag (`{id}`), so a task's keys share a
/// Redis Cluster slot (ElastiCache works unchanged).
public struct RedisKeys: Sendable {
    /// The mesh's key prefix, `mesh:` by default.
    public let prefix: String
    /// The agent the A2A task store belongs to.
    public let agent: String

    public init(prefix: String = "mesh:", agent: String) {
        self.prefix = prefix
        self.agent = agent
    }

    /// Hash: `json`, `state`, `updated` of one A2A task.
    public func task(_ id: String) -> String { "\(prefix)a2a:\(agent):task:{\(id)}" }
    /// Stream: every event of one task, for subscribers that resume.
    public func events(_ id: String) -> String { "\(prefix)a2a:\(agent):task:{\(id)}:events" }
    /// Hash: push-notification configs of one task, by config id.
    public func pushConfigs(_ id: String) -> String { "\(prefix)a2a:\(agent):task:{\(id)}:push" }
    /// Sorted set: the agent's task ids by status time (microseconds).
    public var taskIndex: String { "\(prefix)a2a:\(agent):tasks" }
    /// Sorted set: the task ids of one context by status time.
    public func contextIndex(_ contextId: String) -> String { "\(prefix)a2a:\(agent):ctx:{\(contextId)}:tasks" }
    /// Hash: the working memory of one conversation, shared by all agents.
    public func contextMemory(_ contextId: String) -> String { "\(prefix)ctx:{\(contextId)}:memory" }
    /// List: values appended under one name in a conversation's memory.
    public func contextLog(_ contextId: String, _ name: String) -> String { "\(prefix)ctx:{\(contextId)}:log:\(name)" }
    /// Hash: one knowledge-base chunk.
    public func knowledgeChunk(_ id: String) -> String { "\(prefix)kb:chunk:\(id)" }
    /// Set: the ids of all knowledge-base chunks.
    public var knowledgeIndex: String { "\(prefix)kb:chunks" }
    /// Counter: bumped by every change to the knowledge base.
    public var knowledgeVersion: String { "\(prefix)kb:version" }
}
