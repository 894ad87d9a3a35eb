extension RedisCommandRunner {
    /// `SADD`: adds members and returns how many were new.
    @discardableResult
    public func sadd(_ key: String, _ members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await run(RedisCommand("SADD", [RedisArgument(key)] + members.map { RedisArgument($0) }))
            .decodeInt("SADD")
    }

    /// `SREM`: removes members and returns how many were there.
    @discardableResult
    public func srem(_ key: String, _ members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await run(RedisCommand("SREM", [RedisArgument(key)] + members.map { RedisArgument($0) }))
            .decodeInt("SREM")
    }

    /// `SMEMBERS`: every member (empty when the key is missing).
    public func smembers(_ key: String) async throws -> Set<String> {
        Set(try await run(RedisCommand("SMEMBERS", RedisArgument(key))).decodeStrings("SMEMBERS"))
    }

    /// `SISMEMBER`: whether `member` is in the set.
    public func sismember(_ key: String, _ member: String) async throws -> Bool {
        try await run(RedisCommand("SISMEMBER", RedisArgument(key), RedisArgument(member))).decodeBool("SISMEMBER")
    }

    /// `SCARD`: the number of members.
    public func scard(_ key: String) async throws -> Int {
        try await run(RedisCommand("SCARD", RedisArgument(key))).decodeInt("SCARD")
    }
}
