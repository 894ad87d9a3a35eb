import A2A
import Foundation
import MeshRuntime
import Redis

/// The master's tasks in Redis: each change is one compare-and-set script that also appends the change's
/// events, publishes it, and (when asked) queues the task or moves it in or out of the dead-letter stream.
///
/// The scripts touch the task's keys and the shared streams together, so they assume one Redis shard
/// (a standalone server or ElastiCache with cluster mode off).
public struct MasterStore: Sendable {
    /// A task and the version its next save must match.
    public struct Stored: Sendable {
        public var task: MeshTask
        public var version: Int
    }

    /// What a save found instead of the expected version.
    public enum SaveError: Error, Sendable {
        /// Someone else changed the task first; here is what they wrote.
        case conflict(Stored)
        /// The task no longer exists (expired).
        case gone
    }

    /// What ``submit(_:event:idempotencyKey:fingerprint:limit:)`` did.
    public enum Submission: Sendable {
        /// Stored and queued; with a rate limit check, what it counted.
        case created(RateLimitDecision?)
        /// The key was used before: for this task id, with this request fingerprint. Nothing was counted.
        case existing(taskId: String, fingerprint: String)
        /// The caller's rate or quota refused it; nothing was written.
        case limited(RateLimitRefusal)
    }

    public let redis: any RedisCommandRunner
    public let keys: MasterKeys
    /// How long a finished task (not a dead-lettered one) stays readable.
    public var retention: Duration = .seconds(86_400)
    /// How long an `Idempotency-Key` is remembered.
    public var idempotencyWindow: Duration = .seconds(86_400)
    /// Events kept per task (approximately).
    public var maxEvents = 1_000

    public init(redis: any RedisCommandRunner, keys: MasterKeys) {
        self.redis = redis
        self.keys = keys
    }

    /// KEYS: task, events, dispatch stream, idempotency key (or the task again), then the rate and quota keys of a
    /// ``RateLimitCheck`` (or the task again, twice). ARGV 1–7: task JSON, state, event JSON, id, fingerprint (''
    /// without a key), idempotency TTL, events kept; 8: '1' when the check applies; 9–12: the check's arguments.
    /// A replay is answered before anything is counted, and a refusal writes nothing.
    static let submitScript = RedisScript(
        RateLimitCheck.luaFunction + """

            if ARGV[5] ~= '' then
              local existing = redis.call('GET', KEYS[4])
              if existing then return {'existing', existing} end
            end
            local counted = {'ok', 0, 0}
            if ARGV[8] == '1' then
              counted = admit(KEYS[5], KEYS[6], ARGV[9], ARGV[10], ARGV[11], ARGV[12])
              if counted[1] ~= 'ok' then return counted end
            end
            if ARGV[5] ~= '' then redis.call('SET', KEYS[4], ARGV[4] .. ' ' .. ARGV[5], 'EX', ARGV[6]) end
            redis.call('HSET', KEYS[1], 'json', ARGV[1], 'state', ARGV[2], 'v', '1')
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'e', ARGV[3])
            redis.call('XADD', KEYS[3], '*', 'task', ARGV[4])
            return {'created', counted[2], counted[3]}
            """)

    /// Stores a new task, appends its first event and queues it, atomically. With an idempotency key that
    /// was used before, nothing is written and the earlier task is named instead. With `limit`, the caller's
    /// rate and quota are checked and counted in the same script, so only tasks that are created count.
    public func submit(
        _ task: MeshTask, event: MeshTaskEvent, idempotencyKey: String?, fingerprint: String,
        limit: RateLimitCheck? = nil
    ) async throws -> Submission {
        // Keys the script does not touch are stood in for by the task's own key.
        let idempotency = idempotencyKey.map(keys.idempotency) ?? keys.task(task.id)
        let limitKeys = limit?.keys ?? [keys.task(task.id), keys.task(task.id)]
        let limitArguments = limit.map { [RedisArgument("1")] + $0.arguments } ?? [RedisArgument("0")]
        let reply = try await redis.evalScript(
            Self.submitScript,
            keys: [keys.task(task.id), keys.events(task.id), keys.dispatch, idempotency] + limitKeys,
            arguments: [
                RedisArgument(bytes: Array(try Self.encode(task))), RedisArgument(task.state.rawValue),
                RedisArgument(bytes: Array(try Self.encode(event))), RedisArgument(task.id),
                RedisArgument(idempotencyKey == nil ? "" : fingerprint),
                RedisArgument(idempotencyWindow.components.seconds), RedisArgument(maxEvents),
            ] + limitArguments)
        guard let fields = reply.array, let verdict = fields.first?.string else {
            throw RedisError.protocolError("unexpected reply to the submit script: \(reply)")
        }
        switch verdict {
        case "created":
            guard let limit else { return .created(nil) }
            return .created(try limit.decision(from: [.bulkString(Array("ok".utf8))] + fields.dropFirst()))
        case "existing":
            let existing = (fields.count > 1 ? fields[1].string ?? "" : "").split(separator: " ", maxSplits: 1)
                .map(String.init)
            guard let id = existing.first else {
                throw RedisError.protocolError("unexpected reply to the submit script: \(reply)")
            }
            return .existing(taskId: id, fingerprint: existing.count > 1 ? existing[1] : "")
        default:
            guard let limit, case .refused(let refusal) = try limit.decision(from: fields) else {
                throw RedisError.protocolError("unexpected reply to the submit script: \(reply)")
            }
            return .limited(refusal)
        }
    }

    /// How a save moves the task between the streams.
    public enum Move: Sendable, Hashable {
        case none
        /// Queue it again on the dispatch stream (a replay).
        case enqueue
        /// Add it to the dead-letter stream with these fields.
        case deadLetter([String: String])
        /// Queue it again and take its entry out of the dead-letter stream.
        case replay
    }

    /// KEYS: task, events, dispatch stream, dead letters. ARGV 1–9: expected version, task JSON, state, TTL ('0':
    /// none), channel, events kept, id, move, dead-letter fields; 10–11: consumer group and dispatch entry to
    /// acknowledge ('' for none); then the events.
    static let saveScript = RedisScript(
        """
        local v = redis.call('HGET', KEYS[1], 'v')
        if not v then return {'gone'} end
        if v ~= ARGV[1] then return {'conflict', v, redis.call('HGET', KEYS[1], 'json')} end
        local next = tostring(tonumber(v) + 1)
        redis.call('HSET', KEYS[1], 'json', ARGV[2], 'state', ARGV[3], 'v', next)
        for i = 12, #ARGV do
          redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'e', ARGV[i])
        end
        if ARGV[11] ~= '' then
          redis.call('XACK', KEYS[3], ARGV[10], ARGV[11])
          redis.call('XDEL', KEYS[3], ARGV[11])
        end
        if ARGV[8] == 'enqueue' or ARGV[8] == 'replay' then
          redis.call('XADD', KEYS[3], '*', 'task', ARGV[7])
        end
        if ARGV[8] == 'replay' then
          local entry = redis.call('HGET', KEYS[1], 'dlq')
          if entry then
            redis.call('XDEL', KEYS[4], entry)
            redis.call('HDEL', KEYS[1], 'dlq')
          end
        end
        if ARGV[8] == 'dead-letter' then
          local fields = cjson.decode(ARGV[9])
          local entry = redis.call('XADD', KEYS[4], '*', unpack(fields))
          redis.call('HSET', KEYS[1], 'dlq', entry)
        end
        if ARGV[4] ~= '0' then
          redis.call('EXPIRE', KEYS[1], ARGV[4])
          redis.call('EXPIRE', KEYS[2], ARGV[4])
        elseif ARGV[8] == 'replay' or ARGV[8] == 'dead-letter' then
          redis.call('PERSIST', KEYS[1])
          redis.call('PERSIST', KEYS[2])
        end
        redis.call('PUBLISH', ARGV[5], ARGV[7] .. ' ' .. ARGV[3])
        return {'saved', next}
        """)

    /// Writes `task` if its stored version is still `version`, with its events; returns the new version. With
    /// `acknowledging`, the save also acknowledges and deletes that dispatch entry (the run that ends a task),
    /// saving the round trip of doing it afterwards.
    ///
    /// - Throws: ``SaveError/conflict(_:)`` with what is stored when someone else wrote first,
    ///   ``SaveError/gone`` when the task expired.
    @discardableResult
    public func save(
        _ task: MeshTask, version: Int, events: [MeshTaskEvent], move: Move = .none, acknowledging entry: String? = nil
    ) async throws -> Int {
        // Finished tasks expire; dead-lettered ones stay until replayed or removed by hand.
        let expires = task.state.isTerminal && !task.deadLettered
        var moveName = ""
        var deadLetterFields = "[]"
        switch move {
        case .none: break
        case .enqueue: moveName = "enqueue"
        case .replay: moveName = "replay"
        case .deadLetter(let fields):
            moveName = "dead-letter"
            let flat = fields.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
            deadLetterFields = String(decoding: try JSONEncoder().encode(flat), as: UTF8.self)
        }
        var arguments: [RedisArgument] = [
            RedisArgument(version), RedisArgument(bytes: Array(try Self.encode(task))),
            RedisArgument(task.state.rawValue), RedisArgument(expires ? retention.components.seconds : 0),
            RedisArgument(keys.changes), RedisArgument(maxEvents), RedisArgument(task.id), RedisArgument(moveName),
            RedisArgument(deadLetterFields), RedisArgument(keys.group), RedisArgument(entry ?? ""),
        ]
        for event in events { arguments.append(RedisArgument(bytes: Array(try Self.encode(event)))) }
        let reply = try await redis.evalScript(
            Self.saveScript,
            keys: [keys.task(task.id), keys.events(task.id), keys.dispatch, keys.deadLetters], arguments: arguments)
        let parts = reply.array?.compactMap(\.string) ?? []
        switch parts.first {
        case "saved" where parts.count == 2: return Int(parts[1]) ?? version + 1
        case "gone": throw SaveError.gone
        case "conflict" where parts.count == 3:
            throw SaveError.conflict(Stored(task: try Self.decode(parts[2]), version: Int(parts[1]) ?? 0))
        default: throw RedisError.protocolError("unexpected reply to the save script: \(reply)")
        }
    }

    /// The task and its version, or nil when there is none.
    public func load(_ id: String) async throws -> Stored? {
        let values = try await redis.hmget(keys.task(id), fields: ["json", "v"])
        guard values.count == 2, let json = values[0], let version = values[1].flatMap({ Int($0) }) else {
            return nil
        }
        return Stored(task: try Self.decode(json), version: version)
    }

    /// Events after stream id `after` (from the start when nil), with their stream ids.
    public func events(of id: String, after: String?, count: Int = 100) async throws
        -> [(id: String, event: MeshTaskEvent)]
    {
        let entries = try await redis.xrange(
            keys.events(id), from: after.map { "(\($0)" } ?? "-", to: "+", count: count)
        return try entries.compactMap { entry in
            guard let json = entry["e"] else { return nil }
            return (entry.id, try MeshJSON.decode(MeshTaskEvent.self, from: Data(json.utf8)))
        }
    }

    static func encode(_ value: some Encodable) throws -> Data {
        try MeshJSON.encode(value)
    }

    static func decode(_ json: String) throws -> MeshTask {
        try MeshJSON.decode(MeshTask.self, from: Data(json.utf8))
    }
}
