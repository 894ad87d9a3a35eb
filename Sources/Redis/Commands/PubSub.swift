extension RedisCommandRunner {
    /// `PUBLISH`: sends `message` to `channel` and returns how many subscribers received it.
    @discardableResult
    public func publish(_ message: String, to channel: String) async throws -> Int {
        try await run(RedisCommand("PUBLISH", RedisArgument(channel), RedisArgument(message))).decodeInt("PUBLISH")
    }

    /// `PUBLISH` of binary data.
    @discardableResult
    public func publish(bytes: [UInt8], to channel: String) async throws -> Int {
        try await run(RedisCommand("PUBLISH", RedisArgument(channel), RedisArgument(bytes: bytes)))
            .decodeInt("PUBLISH")
    }
}
