import Foundation
import Redis

extension RedisRegistryStore {
    /// The registry's keys. They share one hash tag, so the commit script may touch them all on Redis Cluster.
    struct Keys: Sendable {
        /// A token that changes with every commit: `<count>-<random>`, so a state that was lost and
        /// rebuilt (Redis without persistence) never passes for one this process has cached.
        let version: String
        /// The encoded ``RegistryState``.
        let state: String
        /// Operation records by id (a hash), for `GetOperation`.
        let operations: String
        /// Operation ids, oldest first (a list), to drop the oldest records.
        let operationOrder: String

        init(prefix: String) {
            let base = prefix + "{registry}:"
            version = base + "version"
            state = base + "state"
            operations = base + "operations"
            operationOrder = base + "operation-order"
        }
    }

    /// Writes a new state and its operation records, unless another commit came first.
    ///
    /// KEYS: version, state, operations, operation order. ARGV: the version the state was computed from
    /// (empty: none yet), the new version, the encoded state, how many operation records to keep, then
    /// the new records as id, JSON pairs. Returns 1 when written (or already written by this very call,
    /// if a lost reply made the client send it again), 0 when the version moved on.
    static let commitScript = RedisScript(
        """
        local current = redis.call('GET', KEYS[1]) or ''
        if current == ARGV[2] then return 1 end
        if current ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2])
        redis.call('SET', KEYS[2], ARGV[3])
        for i = 5, #ARGV, 2 do
          redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
          redis.call('RPUSH', KEYS[4], ARGV[i])
        end
        local excess = redis.call('LLEN', KEYS[4]) - tonumber(ARGV[4])
        if excess > 0 then
          local dropped = redis.call('LPOP', KEYS[4], excess)
          redis.call('HDEL', KEYS[3], unpack(dropped))
        end
        return 1
        """)

    /// The state as Redis holds it now: from the cache when the version did not change (one GET),
    /// else read and decoded (one MGET, which reads version and state atomically).
    func load() async throws -> Snapshot {
        let version = try await redis.run(RedisCommand("GET", RedisArgument(keys.version))).string
        if let cached = cache.withLock({ $0 }), cached.version == version { return cached }
        let reply = try await redis.run(RedisCommand("MGET", RedisArgument(keys.version), RedisArgument(keys.state)))
        guard let values = reply.array, values.count == 2 else {
            throw RedisError.protocolError("MGET of the registry state answered \(reply)")
        }
        var state = RegistryState()
        if case .bulkString(let bytes) = values[1] {
            state = try JSONDecoder().decode(RegistryState.self, from: Data(bytes))
        }
        let snapshot = Snapshot(version: values[0].string, state: state)
        cache.withLock { $0 = snapshot }
        return snapshot
    }

    /// Commits the transaction's state and operations if Redis still holds `snapshot`'s version;
    /// returns the new snapshot, or nil when another replica committed first.
    func commit(_ transaction: RegistryTransaction, over snapshot: Snapshot) async throws -> Snapshot? {
        let count = snapshot.version.flatMap { Int64($0.prefix { $0 != "-" }) } ?? 0
        let version = "\(count + 1)-\(RegistryIdentifiers.random(12))"
        let encoder = JSONEncoder()
        var arguments: [RedisArgument] = [
            RedisArgument(snapshot.version ?? ""), RedisArgument(version),
            RedisArgument(bytes: Array(try encoder.encode(transaction.state))),
            RedisArgument(transaction.state.keptOperationCount),
        ]
        for operation in transaction.newOperations {
            arguments += [
                RedisArgument(operation.id ?? ""), RedisArgument(bytes: Array(try encoder.encode(operation))),
            ]
        }
        let reply = try await redis.evalScript(
            Self.commitScript, keys: [keys.version, keys.state, keys.operations, keys.operationOrder],
            arguments: arguments)
        guard reply.int == 1 else { return nil }
        let committed = Snapshot(version: version, state: transaction.state)
        cache.withLock { $0 = committed }
        return committed
    }

    /// The operation record with `id`, or nil when it was never recorded or has been dropped.
    func operation(_ id: String) async throws -> Operation? {
        let reply = try await redis.run(RedisCommand("HGET", RedisArgument(keys.operations), RedisArgument(id)))
        guard case .bulkString(let bytes) = reply else { return nil }
        return try JSONDecoder().decode(Operation.self, from: Data(bytes))
    }
}
