/// When `SET` writes: always, only if the key is missing (`NX`), or only if it exists (`XX`).
public enum RedisSetCondition: Sendable, Hashable {
    case always
    case ifNotExists
    case ifExists
}

extension RedisCommandRunner {
    /// `GET`: the value as text, or nil when the key does not exist.
    public func get(_ key: String) async throws -> String? {
        try await run(RedisCommand("GET", RedisArgument(key))).decodeOptionalString("GET")
    }

    /// `GET`: the value as bytes, or nil when the key does not exist.
    public func getBytes(_ key: String) async throws -> [UInt8]? {
        try await run(RedisCommand("GET", RedisArgument(key))).decodeOptionalBytes("GET")
    }

    /// `SET` with an optional expiry (`PX`) and condition; returns false when the condition was not met.
    @discardableResult
    public func set(
        _ key: String, _ value: String, expiration: Duration? = nil, condition: RedisSetCondition = .always
    ) async throws -> Bool {
        try await set(key, argument: RedisArgument(value), expiration: expiration, condition: condition)
    }

    /// `SET` of binary data, with an optional expiry (`PX`) and condition; false when the condition was not met.
    @discardableResult
    public func set(
        _ key: String, bytes: [UInt8], expiration: Duration? = nil, condition: RedisSetCondition = .always
    ) async throws -> Bool {
        try await set(key, argument: RedisArgument(bytes: bytes), expiration: expiration, condition: condition)
    }

    private func set(
        _ key: String, argument: RedisArgument, expiration: Duration?, condition: RedisSetCondition
    ) async throws -> Bool {
        var arguments = [RedisArgument(key), argument]
        if let expiration { arguments += ["PX", RedisArgument(expiration.redisMilliseconds)] }
        switch condition {
        case .always: break
        case .ifNotExists: arguments.append("NX")
        case .ifExists: arguments.append("XX")
        }
        return try await run(RedisCommand("SET", arguments)).checked() != .null
    }

    /// `MGET`: the values in the order of `keys`, nil for missing keys.
    public func mget(_ keys: [String]) async throws -> [String?] {
        guard !keys.isEmpty else { return [] }
        return try await run(RedisCommand("MGET", keys.map { RedisArgument($0) })).decodeOptionalStrings("MGET")
    }

    /// `INCRBY`: adds `amount` and returns the new value.
    @discardableResult
    public func incr(_ key: String, by amount: Int = 1) async throws -> Int {
        try await run(RedisCommand("INCRBY", RedisArgument(key), RedisArgument(amount))).decodeInt("INCRBY")
    }

    /// `APPEND`: appends text and returns the new length in bytes.
    @discardableResult
    public func append(_ key: String, _ value: String) async throws -> Int {
        try await run(RedisCommand("APPEND", RedisArgument(key), RedisArgument(value))).decodeInt("APPEND")
    }
}
