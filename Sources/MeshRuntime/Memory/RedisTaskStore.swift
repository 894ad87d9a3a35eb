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

        public init(
            terminal: Duration = .seconds(86_400), unfinished: Duration = .seconds(7 * 86_400), maxEvents: Int = 1000
        ) {
            self.terminal = terminal
            self.unfinished = unfinished
            self.maxEvents = maxEvents
        }
    }

    let redis: any RedisCommandRunner
    let keys: RedisKeys
    let retention: Retention
    private let batcher: TaskWriteBatcher

    public init(redis: any RedisCommandRunner, keys: RedisKeys, retention: Retention = Retention()) {
        self.redis = redis
        self.keys = keys
        self.retention = retention
        batcher = TaskWriteBatcher { batch in await Self.write(batch, redis: redis, keys: keys, retention: retention) }
    }

    /// Writes the task unless the stored copy is terminal; appends the events to the task's stream.
    /// ARGV: json, state, status time, TTL, events kept, then the events.
    static let saveScript = RedisScript(
        """
        local current = redis.call('HGET', KEYS[1], 'state')
        if current == 'TASK_STATE_COMPLETED' or current == 'TASK_STATE_FAILED' or current == 'TASK_STATE_CANCELED' or current == 'TASK_STATE_REJECTED' then
          return redis.call('HGET', KEYS[1], 'json')
        end
        redis.call('HSET', KEYS[1], 'json', ARGV[1], 'state', ARGV[2], 'updated', ARGV[3])
        for i = 6, #ARGV do
          redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'event', ARGV[i])
        end
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        redis.call('EXPIRE', KEYS[2], ARGV[4])
        return false
        """)

    /// Saves go through group commit: concurrent saves share one round trip, and a task's progress (working
    /// updates and artifacts) does not wait for Redis when another save is already being written, so the
    /// events reach the agent's streams without a round trip each. The task's first save, an interrupted or
    /// terminal state, and anything a later request may read from another replica still wait until stored.
    public nonisolated(nonsending) func save(_ task: A2ATask, event: StreamResponse?) async throws {
        try await batcher.save(task, event: event, wait: Self.mustWait(task, event: event))
    }

    static func mustWait(_ task: A2ATask, event: StreamResponse?) -> Bool {
        if task.status.state.isTerminal || task.status.state.isInterrupted { return true }
        switch event {
        case .statusUpdate?, .artifactUpdate?: return false
        default: return true
        }
    }

    /// One pipeline for a batch: per task, the script and the index updates.
    static func write(
        _ batch: [TaskWriteBatcher.PendingWrite], redis: any RedisCommandRunner, keys: RedisKeys, retention: Retention
    ) async -> [String: Result<Void, any Error>] {
        var results: [String: Result<Void, any Error>] = [:]
        var commands: [RedisCommand] = []
        var scripts: [(id: String, keys: [String], arguments: [RedisArgument], reply: Int)] = []
        for write in batch {
            let task = write.task
            do {
                let score = RedisArgument(task.statusMicros)
                let ttl = task.status.state.isTerminal ? retention.terminal : retention.unfinished
                let scriptKeys = [keys.task(task.id), keys.events(task.id)]
                var arguments = [
                    RedisArgument(bytes: Array(try A2AJSON.encode(task))), RedisArgument(task.status.state.rawValue),
                    score, RedisArgument(ttl.components.seconds), RedisArgument(retention.maxEvents),
                ]
                for event in write.events { arguments.append(RedisArgument(bytes: Array(try A2AJSON.encode(event)))) }
                scripts.append((task.id, scriptKeys, arguments, commands.count))
                commands.append(
                    RedisCommand(
                        "EVALSHA",
                        [RedisArgument(Self.saveScript.sha1), 2] + scriptKeys.map { RedisArgument($0) } + arguments))
                commands.append(RedisCommand("ZADD", RedisArgument(keys.taskIndex), score, RedisArgument(task.id)))
                commands.append(
                    RedisCommand(
                        "ZADD", RedisArgument(keys.contextIndex(task.contextId)), score, RedisArgument(task.id)))
                commands.append(
                    RedisCommand(
                        "EXPIRE", RedisArgument(keys.contextIndex(task.contextId)),
                        RedisArgument(retention.unfinished.components.seconds)))
            } catch {
                results[task.id] = .failure(error)
            }
        }
        let replies: [RESPValue]
        do {
            replies = try await redis.pipeline(commands)
        } catch {
            for script in scripts { results[script.id] = .failure(error) }
            return results
        }
        for script in scripts {
            var reply = replies[script.reply]
            do {
                if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
                    reply = try await redis.evalScript(Self.saveScript, keys: script.keys, arguments: script.arguments)
                }
                if case .error(let message) = reply { throw RedisError.server(message) }
                if case .bulkString(let stored) = reply {
                    throw TaskStoreError.alreadyTerminal(try A2AJSON.decode(A2ATask.self, from: Data(stored)))
                }
                results[script.id] = .success(())
            } catch {
                results[script.id] = .failure(error)
            }
        }
        return results
    }

    public nonisolated(nonsending) func task(id: String) async throws -> A2ATask? {
        guard
            case .bulkString(let json) = try await redis.run(RedisCommand("HGET", RedisArgument(keys.task(id)), "json"))
        else {
            return nil
        }
        return try A2AJSON.decode(A2ATask.self, from: Data(json))
    }

    /// Lists by walking the (context's) index newest first and reading the tasks in pipelined batches;
    /// index entries of expired tasks are removed on the way.
    public nonisolated(nonsending) func list(_ query: TaskQuery) async throws -> TaskPage {
        let index = query.contextId.map(keys.contextIndex) ?? keys.taskIndex
        let minimum =
            query.statusTimestampAfter.map { after -> String in
                let micros = Int64((after.timeIntervalSince1970 * 1_000_000).rounded())
                return "(\(micros)"
            } ?? "-inf"
        let ids = try await redis.run(
            RedisCommand("ZREVRANGEBYSCORE", RedisArgument(index), "+inf", RedisArgument(minimum)))
        var matching: [A2ATask] = []
        var expired: [RedisArgument] = []
        let all = (ids.array ?? []).compactMap(\.string)
        for batchStart in stride(from: 0, to: all.count, by: 200) {
            let batch = Array(all[batchStart..<min(batchStart + 200, all.count)])
            let replies = try await redis.pipeline(
                batch.map { RedisCommand("HGET", RedisArgument(keys.task($0)), "json") })
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
        return TaskPage(
            tasks: page, next: hasMore ? page.last.map(TaskCursor.init(after:)) : nil, totalSize: sorted.count)
    }

    /// The events stored for a task, oldest first, with their stream ids (for resuming subscribers).
    public func events(taskId: String, after id: String = "-") async throws -> [(id: String, event: StreamResponse)] {
        let start = id == "-" ? "-" : "(\(id)"
        let reply = try await redis.run(
            RedisCommand("XRANGE", RedisArgument(keys.events(taskId)), RedisArgument(start), "+"))
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
