/// The remaining life of a key, as `PTTL` reports it.
public enum RedisTTL: Sendable, Hashable {
    /// The key does not exist.
    case keyMissing
    /// The key exists and never expires.
    case persistent
    /// The key expires after this span.
    case expires(in: Duration)
}

extension RedisCommandRunner {
    /// `DEL`: removes the keys and returns how many existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await run(RedisCommand("DEL", keys.map { RedisArgument($0) })).decodeInt("DEL")
    }

    /// `DEL`: removes the keys and returns how many existed.
    @discardableResult
    public func del(_ keys: String...) async throws -> Int { try await del(keys) }

    /// `EXISTS`: how many of the keys exist (a key named twice counts twice).
    public func exists(_ keys: String...) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await run(RedisCommand("EXISTS", keys.map { RedisArgument($0) })).decodeInt("EXISTS")
    }

    /// `PEXPIRE`: sets a time to live; false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, after ttl: Duration) async throws -> Bool {
        try await run(RedisCommand("PEXPIRE", RedisArgument(key), RedisArgument(ttl.redisMilliseconds)))
            .decodeBool("PEXPIRE")
    }

    /// `PERSIST`: removes the time to live; false when the key has none or does not exist.
    @discardableResult
    public func persist(_ key: String) async throws -> Bool {
        try await run(RedisCommand("PERSIST", RedisArgument(key))).decodeBool("PERSIST")
    }

    /// `PTTL`: how long the key has left.
    public func ttl(_ key: String) async throws -> RedisTTL {
        switch try await run(RedisCommand("PTTL", RedisArgument(key))).decodeInt("PTTL") {
        case -2: .keyMissing
        case -1: .persistent
        case let milliseconds: .expires(in: .milliseconds(milliseconds))
        }
    }

    /// `SCAN` once from `cursor`: the next cursor (`"0"` when done) and a page of keys (possibly empty).
    public func scanPage(
        cursor: String = "0", match pattern: String? = nil, count: Int? = nil, type: String? = nil
    ) async throws -> (cursor: String, keys: [String]) {
        var arguments = [RedisArgument(cursor)]
        if let pattern { arguments += ["MATCH", RedisArgument(pattern)] }
        if let count { arguments += ["COUNT", RedisArgument(count)] }
        if let type { arguments += ["TYPE", RedisArgument(type)] }
        let reply = try await run(RedisCommand("SCAN", arguments)).decodeArray("SCAN")
        guard reply.count == 2 else { throw RESPValue.array(reply).unexpected("SCAN", "[cursor, keys]") }
        return (try reply[0].decodeString("SCAN"), try reply[1].decodeStrings("SCAN"))
    }

    /// `SCAN` over the whole key space, page by page; a key may appear more than once, as SCAN allows.
    public func scan(match pattern: String? = nil, count: Int? = nil, type: String? = nil) -> RedisScanSequence {
        RedisScanSequence(runner: self, pattern: pattern, count: count, type: type)
    }
}

/// The keys that `SCAN` visits, fetched one page at a time as the sequence is iterated.
public struct RedisScanSequence: AsyncSequence, Sendable {
    public typealias Element = String

    let runner: any RedisCommandRunner
    let pattern: String?
    let count: Int?
    let type: String?

    public func makeAsyncIterator() -> Iterator {
        Iterator(sequence: self)
    }

    /// Walks the cursor until SCAN returns `0`.
    public struct Iterator: AsyncIteratorProtocol {
        let sequence: RedisScanSequence
        var cursor: String?  // nil once the server said 0
        var buffer: [String] = []

        init(sequence: RedisScanSequence) {
            self.sequence = sequence
            cursor = "0"
        }

        public mutating func next() async throws -> String? {
            while buffer.isEmpty {
                guard let current = cursor else { return nil }
                let page = try await sequence.runner.scanPage(
                    cursor: current, match: sequence.pattern, count: sequence.count, type: sequence.type)
                cursor = page.cursor == "0" ? nil : page.cursor
                buffer = page.keys.reversed()
            }
            return buffer.popLast()
        }
    }
}
