import A2A
import A2AServer
import Foundation
import Redis

/// Push-notification configs in Redis, one hash per task, so every replica delivers and answers for them.
public final class RedisPushConfigStore: PushConfigStore {
    let redis: any RedisCommandRunner
    let keys: RedisKeys
    let ttl: Duration
    /// How long a task's configs are reused without asking Redis (see ``PushConfigCache``).
    public let cacheLifetime: Duration
    let cache: PushConfigCache

    public init(
        redis: any RedisCommandRunner, keys: RedisKeys, ttl: Duration = .seconds(7 * 86_400),
        cacheLifetime: Duration = .seconds(1)
    ) {
        self.redis = redis
        self.keys = keys
        self.ttl = ttl
        self.cacheLifetime = cacheLifetime
        cache = PushConfigCache(lifetime: cacheLifetime)
    }

    public nonisolated(nonsending) func save(_ config: TaskPushNotificationConfig) async throws
        -> TaskPushNotificationConfig
    {
        guard let taskId = config.taskId, let id = config.id else {
            preconditionFailure("push configs are saved with their task id and id set")
        }
        let key = RedisArgument(keys.pushConfigs(taskId))
        let replies = try await redis.pipeline([
            RedisCommand("HSET", key, RedisArgument(id), RedisArgument(bytes: Array(try A2AJSON.encode(config)))),
            RedisCommand("EXPIRE", key, RedisArgument(ttl.components.seconds)),
        ])
        if case .error(let message) = replies[0] { throw RedisError.server(message) }
        cache.forget(taskId: taskId)
        return config
    }

    public nonisolated(nonsending) func config(taskId: String, id: String) async throws -> TaskPushNotificationConfig? {
        guard let json = try await redis.hget(keys.pushConfigs(taskId), field: id) else { return nil }
        return try A2AJSON.decode(TaskPushNotificationConfig.self, from: Data(json.utf8))
    }

    public nonisolated(nonsending) func configs(taskId: String) async throws -> [TaskPushNotificationConfig] {
        let reply = try await redis.run(RedisCommand("HVALS", RedisArgument(keys.pushConfigs(taskId))))
        let configs = try (reply.array ?? []).compactMap { value -> TaskPushNotificationConfig? in
            guard case .bulkString(let json) = value else { return nil }
            return try A2AJSON.decode(TaskPushNotificationConfig.self, from: Data(json))
        }.sorted { ($0.id ?? "") < ($1.id ?? "") }
        cache.store(configs, taskId: taskId)
        return configs
    }

    /// ``configs(taskId:)`` from the cache while it is fresh: an event's delivery need not cost a round trip.
    public nonisolated(nonsending) func deliveryConfigs(taskId: String) async throws -> [TaskPushNotificationConfig] {
        if let cached = cache.configs(taskId: taskId) { return cached }
        return try await configs(taskId: taskId)
    }

    /// A new task has no configs: cached as such unless a config was written for it meanwhile.
    public func noteNoConfigs(taskId: String) {
        cache.storeIfAbsent([], taskId: taskId)
    }

    public nonisolated(nonsending) func delete(taskId: String, id: String) async throws {
        _ = try await redis.hdel(keys.pushConfigs(taskId), fields: [id])
        cache.forget(taskId: taskId)
    }
}
