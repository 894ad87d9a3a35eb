/// A Lua script with its SHA-1, so it can run by `EVALSHA` without sending the source each time.
///
/// Declare scripts as constants; ``RedisCommandRunner/evalScript(_:keys:arguments:)`` loads one with
/// `SCRIPT LOAD` when the server does not know it yet (`NOSCRIPT`, e.g. after a restart or `SCRIPT FLUSH`).
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The SHA-1 of the source in lowercase hex, as `SCRIPT LOAD` returns it.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        sha1 = sha1Hex(Array(source.utf8))
    }
}

extension RedisCommandRunner {
    /// Runs the script by `EVALSHA`; on `NOSCRIPT` it sends `SCRIPT LOAD` and tries once more.
    ///
    /// - Returns: the script's reply as it is; an error reply (from `redis.error_reply` or a failing call)
    ///   throws ``RedisError/server(_:)``.
    @discardableResult
    public func evalScript(_ script: RedisScript, keys: [String] = [], arguments: [RedisArgument] = [])
        async throws -> RESPValue
    {
        let command = RedisCommand(
            "EVALSHA",
            [RedisArgument(script.sha1), RedisArgument(keys.count)] + keys.map { RedisArgument($0) } + arguments)
        do {
            return try await run(command).checked()
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") {
            try await scriptLoad(script)
            return try await run(command).checked()
        }
    }

    /// `SCRIPT LOAD`: makes the server cache the script; fails if the server names it differently.
    public func scriptLoad(_ script: RedisScript) async throws {
        let sha1 = try await run(RedisCommand("SCRIPT", "LOAD", RedisArgument(script.source))).decodeString("SCRIPT")
        guard sha1.lowercased() == script.sha1 else {
            throw RedisError.protocolError("SCRIPT LOAD named the script \(sha1), expected \(script.sha1)")
        }
    }
}

extension RedisScript {
    /// Runs the script on `runner`: see ``RedisCommandRunner/evalScript(_:keys:arguments:)``.
    @discardableResult
    public func run(on runner: some RedisCommandRunner, keys: [String] = [], arguments: [RedisArgument] = [])
        async throws -> RESPValue
    {
        try await runner.evalScript(self, keys: keys, arguments: arguments)
    }
}
