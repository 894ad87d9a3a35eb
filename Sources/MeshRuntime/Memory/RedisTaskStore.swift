import A2A
import A2AServer
import Foundation
import Redis

/// The A2A ``TaskStore`` on Redis: any replica of an agent answers GetTask and ListTasks for tasks
/// that another replica created, and a task finished by one replica is never overwritten by another.
public final class RedisTaskStore: TaskStore, TaskEventFollowing {
    /// How long tasks stay in Redis.
    public struct Retention: Sendable {
        /// After a task reaches a terminal state.
        public var terminal: Duration
        /// Since the last change of a task that never finished (a crashed agent's work).
        public var unfinished: Duration
        /// Events kept per task stream (approximately).
        public var maxEvents: Int

        public init(terminal: Duration = .seconds(86_400), unfinished: Duration = .seconds(7 * 86_400), maxEvents: Int = 1000) {
            self.terminal = terminal
            self.unfinished = unfinished
            self.maxEvents = maxEvents
        }
    }

    let redis: any RedisCommandRunner
    let keys: RedisKeys
    let retention: Retention

    public init(redis: any RedisCommandRunner, keys: RedisKeys, retention: Retention = Retention()) {
        self.redis = redis
        self.keys = keys
        self.retention = retention
    }

    /// Writes the task unless the stored copy is terminal; appends the event to the task's stream.
    static let saveScript = RedisScript("""
        local current = redis.call('HGET', KEYS[1], 'state')
        if current == 'TASK_STATE_COMPLETED' or current == 'TASK_STATE_FAILED' or current == 'TASK_STATE_CANCELED' or current == 'TASK_STATE_REJECTED' then
          return redis.call('HGET', KEYS[1], 'json')
        end
        redis.call('HSET', KEYS[1], 'json', ARGV[1], 'state', ARGV[2], 'updated', ARGV[3])
        if ARGV[4] ~= '' then
          redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'event', ARGV[4])
        end
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        redis.call('EXPIRE', KEYS[2], ARGV[5])
        return false
        """)

    public nonisolated(nonsending) func save(_ task: A2ATask, event: StreamResponse?) async throws {
        let json = try A2AJSON.encode(task)
        let eventJSON = try event.map { try A2AJSON.encode($0) } ?? Data()
        let score = RedisArgument(task.statusMicros)
        let ttl = task.status.state.isTerminal ? retention.terminal : retention.unfinished
        let scriptKeys = [keys.task(task.id), keys.events(task.id)]
        let scriptArguments = [
            RedisArgument(bytes: Array(json)), RedisArgument(task.status.state.rawValue), score,
            RedisArgument(bytes: Array(eventJSON)), RedisArgument(ttl.components.seconds), RedisArgument(retention.maxEvents),
        ]
        // The script and the index updates go out in one round trip.
        var replies = try await redis.pipeline([
            RedisCommand(
                "EVALSHA", [RedisArgument(Self.saveScript.sha1), 2] + scriptKeys.map { RedisArgument($0) } + scriptArguments),
            RedisCommand("ZADD", RedisArgument(keys.taskIndex), score, RedisArgument(task.id)),
            RedisCommand("ZADD", RedisArgument(keys.contextIndex(task.contextId)), score, RedisArgument(task.id)),
            RedisCommand("EXPIRE", RedisArgument(keys.contextIndex(task.contextId)), RedisArgument(retention.unfinished.components.seconds)),
        ])
        if case .error(let message) = replies[0], message.hasPrefix("NOSCRIPT") {
            replies[0] = try await redis.evalScript(Self.saveScript, keys: scriptKeys, arguments: scriptArguments)
        }
        if case .error(let message) = replies[0] { throw RedisError.server(message) }
        if case .bulkString(let stored) = replies[0] {
            throw TaskStoreError.alreadyTerminal(try A2AJSON.decode(A2ATask.self, from: Data(stored)))
        }
    }

    public nonisolated(nonsending) func task(id: String) async throws -> A2ATask? {
        guard case .bulkString(let json) = try await redis.run(RedisCommand("HGET", RedisArgument(keys.task(id)), "json")) else {
            return nil
        }
        return try A2AJSON.decode(A2ATask.self, from: Data(json))
    }

    /// Lists by walking the (context's) index newest first and reading the tasks in pipelined batches;
    /// index entries of expired tasks are removed on the way.
    public nonisolated(nonsending) func list(_ query: TaskQuery) async throws -> TaskPage {
        let index = query.contextId.map(keys.contextIndex) ?? keys.taskIndex
        let minimum = query.statusTimestampAfter.map { after -> String in
            let micros = Int64((after.timeIntervalSince1970 * 1_000_000).rounded())
            return "(\(micros)"
        } ?? "-inf"
        let ids = try await redis.run(RedisCommand("ZREVRANGEBYSCORE", RedisArgument(index), "+inf", RedisArgument(minimum)))
        var matching: [A2ATask] = []
        var expired: [RedisArgument] = []
        let all = (ids.array ?? []).compactMap(\.string)
        for batchStart in stride(from: 0, to: all.count, by: 200) {
            let batch = Array(all[batchStart..<min(batchStart + 200, all.count)])
            let replies = try await redis.pipeline(batch.map { RedisCommand("HGET", RedisArgument(keys.task($0)), "json") })
            for (id, reply) in zip(batch, replies) {
                guard case .bulkString(let json) = reply else {
                    expired.append(RedisArgument(id))
                    continue
                }
                let task = try A2AJSON.decode(A2ATask.self, from: Data(json))
                if query.matches(task) { matching.append(task) }
            }
        }
        if !expired.isEmpty {
            _ = try await redis.run(RedisCommand("ZREM", [RedisArgument(index)] + expired))
        }
        let sorted = matching.sorted { $0.listsBefore($1) }
        let start = query.cursor.map { cursor in sorted.firstIndex(where: cursor.precedes) ?? sorted.endIndex } ?? 0
        let page = Array(sorted[start...].prefix(query.pageSize))
        let hasMore = start + page.count < sorted.count
        return TaskPage(tasks: page, next: hasMore ? page.last.map(TaskCursor.init(after:)) : nil, totalSize: sorted.count)
    }

    /// The events stored for a task, oldest first, with their stream ids (for resuming subscribers).
    public func events(taskId: String, after id: String = "-") async throws -> [(id: String, event: StreamResponse)] {
        let start = id == "-" ? "-" : "(\(id)"
        let reply = try await redis.run(RedisCommand("XRANGE", RedisArgument(keys.events(taskId)), RedisArgument(start), "+"))
        return try (reply.array ?? []).compactMap { entry in
            guard let parts = entry.array, parts.count == 2, let entryID = parts[0].string, let fields = parts[1].array,
                fields.count >= 2, case .bulkString(let json) = fields[1]
            else { return nil }
            return (entryID, try A2AJSON.decode(StreamResponse.self, from: Data(json)))
        }
    }
}

extension RedisTaskStore {
    /// Follows a task's event stream by reading it every 100 ms until events arrive or `wait` passes.
    ///
    /// Polling keeps a follower on the shared pool; a blocking XREAD would need a connection of its own
    /// per subscriber for as long as it follows.
    public func events(of taskId: String, after cursor: String?, wait: Duration) async throws
        -> (events: [StreamResponse], cursor: String?)
    {
        let deadline = ContinuousClock.now + wait
        while true {
            let found = try await events(taskId: taskId, after: cursor ?? "-")
            if !found.isEmpty || ContinuousClock.now >= deadline {
                return (found.map(\.event), found.last?.id ?? cursor)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

extension A2ATask {
    /// The status time in microseconds since 1970, the index score.
    var statusMicros: Int64 {
        Int64(((status.timestamp?.date ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970 * 1_000_000).rounded())
    }
}
