extension RedisCommandRunner {
    /// `LPUSH`: inserts the values at the head (the last one ends up first); returns the new length.
    @discardableResult
    public func lpush(_ key: String, _ values: [String]) async throws -> Int {
        try await push("LPUSH", key, values)
    }

    /// `RPUSH`: appends the values at the tail; returns the new length.
    @discardableResult
    public func rpush(_ key: String, _ values: [String]) async throws -> Int {
        try await push("RPUSH", key, values)
    }

    private func push(_ name: String, _ key: String, _ values: [String]) async throws -> Int {
        guard !values.isEmpty else { return try await llen(key) }
        return try await run(RedisCommand(name, [RedisArgument(key)] + values.map { RedisArgument($0) }))
            .decodeInt(name)
    }

    /// `LPOP`: removes and returns the head, or nil when the list is empty.
    public func lpop(_ key: String) async throws -> String? {
        try await run(RedisCommand("LPOP", RedisArgument(key))).decodeOptionalString("LPOP")
    }

    /// `RPOP`: removes and returns the tail, or nil when the list is empty.
    public func rpop(_ key: String) async throws -> String? {
        try await run(RedisCommand("RPOP", RedisArgument(key))).decodeOptionalString("RPOP")
    }

    /// `LRANGE`: the elements from `start` to `stop` inclusive; negative indices count from the end.
    public func lrange(_ key: String, from start: Int = 0, to stop: Int = -1) async throws -> [String] {
        try await run(RedisCommand("LRANGE", RedisArgument(key), RedisArgument(start), RedisArgument(stop)))
            .decodeStrings("LRANGE")
    }

    /// `LLEN`: the length of the list (0 when missing).
    public func llen(_ key: String) async throws -> Int {
        try await run(RedisCommand("LLEN", RedisArgument(key))).decodeInt("LLEN")
    }

    /// `LTRIM`: keeps only the elements from `start` to `stop` inclusive.
    public func ltrim(_ key: String, from start: Int, to stop: Int) async throws {
        _ = try await run(RedisCommand("LTRIM", RedisArgument(key), RedisArgument(start), RedisArgument(stop)))
            .checked()
    }

    /// `BLPOP`: waits up to `timeout` for an element at the head of one of `keys`; nil on timeout.
    ///
    /// It blocks its connection: run it on a dedicated connection. `.zero` waits for ever.
    public func blpop(_ keys: [String], timeout: Duration) async throws -> (key: String, value: String)? {
        let seconds = Double(timeout.redisMilliseconds) / 1000
        let reply = try await run(
            RedisCommand("BLPOP", keys.map { RedisArgument($0) } + [RedisArgument(seconds)]),
            timeout: blockingTimeout(timeout))
        guard reply != .null else { return nil }
        let pair = try reply.decodeStrings("BLPOP")
        guard pair.count == 2 else { throw reply.unexpected("BLPOP", "[key, value]") }
        return (pair[0], pair[1])
    }
}
