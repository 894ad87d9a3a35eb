import A2AServer
import Foundation
import Logging
import Redis

/// An agent's stores on one Redis connection pool: tasks, push configs and shared memory.
public struct RedisStorage: Sendable {
    /// The pool; it must run as a service of the agent (it is one of ``AgentHost``'s services).
    public let pool: RedisConnectionPool
    public let tasks: RedisTaskStore
    public let pushConfigs: RedisPushConfigStore
    public let memory: RedisSharedMemory

    /// Connects to Redis once to fail fast: a wrong password, an untrusted certificate, a missing client
    /// certificate, a refused connection or a TLS/plain mismatch throws a ``RedisError`` that names it.
    public static func connect(
        configuration: RedisConfiguration, agent: String, keyPrefix: String? = nil,
        retention: RedisTaskStore.Retention = .init(), logger: Logger = Logger(label: "mesh.redis")
    ) async throws -> RedisStorage {
        let pool = try RedisConnectionPool(configuration: configuration, logger: logger)
        try await pool.verify()
        let keys = RedisKeys(prefix: keyPrefix ?? configuration.keyPrefix ?? "mesh:", agent: agent)
        return RedisStorage(
            pool: pool, tasks: RedisTaskStore(redis: pool, keys: keys, retention: retention),
            pushConfigs: RedisPushConfigStore(redis: pool, keys: keys), memory: RedisSharedMemory(redis: pool, keys: keys))
    }
}
