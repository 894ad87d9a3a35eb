/// A sorted-set member with its score.
public struct RedisScoredMember: Sendable, Hashable {
    public var member: String
    public var score: Double

    public init(_ member: String, score: Double) {
        self.member = member
        self.score = score
    }
}

/// One end of a score range: inclusive, exclusive (`(`), or infinite.
public enum RedisScoreBound: Sendable, Hashable {
    case inclusive(Double)
    case exclusive(Double)
    case negativeInfinity
    case positiveInfinity

    var argument: RedisArgument {
        switch self {
        case .inclusive(let value): RedisArgument(scoreText(value))
        case .exclusive(let value): RedisArgument("(" + scoreText(value))
        case .negativeInfinity: "-inf"
        case .positiveInfinity: "+inf"
        }
    }
}

/// A score as Redis reads it: integers without `.0`, others in full precision.
func scoreText(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}

extension RedisCommandRunner {
    /// `ZADD`: adds or updates members and returns how many were new.
    @discardableResult
    public func zadd(_ key: String, _ members: [RedisScoredMember]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        var arguments = [RedisArgument(key)]
        for entry in members { arguments += [RedisArgument(scoreText(entry.score)), RedisArgument(entry.member)] }
        return try await run(RedisCommand("ZADD", arguments)).decodeInt("ZADD")
    }

    /// `ZADD` of one member; true when it was new.
    @discardableResult
    public func zadd(_ key: String, member: String, score: Double) async throws -> Bool {
        try await zadd(key, [RedisScoredMember(member, score: score)]) == 1
    }

    /// `ZINCRBY`: adds to a member's score and returns the new score.
    @discardableResult
    public func zincrby(_ key: String, member: String, by amount: Double) async throws -> Double {
        let reply = try await run(
            RedisCommand("ZINCRBY", RedisArgument(key), RedisArgument(scoreText(amount)), RedisArgument(member)))
        guard let score = try reply.decodeOptionalDouble("ZINCRBY") else {
            throw reply.unexpected("ZINCRBY", "a score")
        }
        return score
    }

    /// `ZSCORE`: the member's score, or nil when it is not there.
    public func zscore(_ key: String, member: String) async throws -> Double? {
        try await run(RedisCommand("ZSCORE", RedisArgument(key), RedisArgument(member))).decodeOptionalDouble("ZSCORE")
    }

    /// `ZRANGE` by rank (lowest score first); negative ranks count from the end.
    public func zrange(_ key: String, from start: Int = 0, to stop: Int = -1) async throws -> [String] {
        try await run(RedisCommand("ZRANGE", RedisArgument(key), RedisArgument(start), RedisArgument(stop)))
            .decodeStrings("ZRANGE")
    }

    /// `ZRANGE ... WITHSCORES` by rank: members with their scores, lowest first.
    public func zrangeWithScores(_ key: String, from start: Int = 0, to stop: Int = -1) async throws
        -> [RedisScoredMember]
    {
        let pairs = try await run(
            RedisCommand("ZRANGE", RedisArgument(key), RedisArgument(start), RedisArgument(stop), "WITHSCORES")
        ).decodePairs("ZRANGE")
        return try pairs.map { member, score in
            guard let value = Double(score) else { throw RedisError.protocolError("ZRANGE score '\(score)'") }
            return RedisScoredMember(member, score: value)
        }
    }

    /// `ZRANGE ... BYSCORE [LIMIT offset count]`: members whose score is within the bounds, lowest first.
    public func zrangeByScore(
        _ key: String, from minimum: RedisScoreBound, to maximum: RedisScoreBound,
        limit: (offset: Int, count: Int)? = nil
    ) async throws -> [String] {
        var arguments = [RedisArgument(key), minimum.argument, maximum.argument, "BYSCORE"]
        if let limit { arguments += ["LIMIT", RedisArgument(limit.offset), RedisArgument(limit.count)] }
        return try await run(RedisCommand("ZRANGE", arguments)).decodeStrings("ZRANGE")
    }

    /// `ZREM`: removes members and returns how many were there.
    @discardableResult
    public func zrem(_ key: String, _ members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await run(RedisCommand("ZREM", [RedisArgument(key)] + members.map { RedisArgument($0) }))
            .decodeInt("ZREM")
    }

    /// `ZREMRANGEBYSCORE`: removes members within the bounds and returns how many.
    @discardableResult
    public func zremrangeByScore(_ key: String, from minimum: RedisScoreBound, to maximum: RedisScoreBound)
        async throws -> Int
    {
        try await run(RedisCommand("ZREMRANGEBYSCORE", RedisArgument(key), minimum.argument, maximum.argument))
            .decodeInt("ZREMRANGEBYSCORE")
    }

    /// `ZCARD`: the number of members.
    public func zcard(_ key: String) async throws -> Int {
        try await run(RedisCommand("ZCARD", RedisArgument(key))).decodeInt("ZCARD")
    }
}
