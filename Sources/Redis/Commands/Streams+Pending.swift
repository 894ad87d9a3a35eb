extension RedisCommandRunner {
    /// `XPENDING key group`: the summary of the group's pending entries.
    public func xpendingSummary(_ key: String, group: String) async throws -> RedisPendingSummary {
        let reply = try await run(RedisCommand("XPENDING", RedisArgument(key), RedisArgument(group)))
        let parts = try reply.decodeArray("XPENDING")
        guard parts.count == 4 else { throw reply.unexpected("XPENDING", "[count, smallest, greatest, consumers]") }
        var consumers: [String: Int] = [:]
        for consumer in try parts[3].decodeArray("XPENDING") {
            let pair = try consumer.decodeArray("XPENDING")
            guard pair.count == 2 else { throw consumer.unexpected("XPENDING", "[consumer, count]") }
            consumers[try pair[0].decodeString("XPENDING")] = try pair[1].decodeInt("XPENDING")
        }
        return RedisPendingSummary(
            count: try parts[0].decodeInt("XPENDING"), smallestID: try parts[1].decodeOptionalString("XPENDING"),
            greatestID: try parts[2].decodeOptionalString("XPENDING"), consumers: consumers)
    }

    /// `XPENDING key group [IDLE ms] start end count [consumer]`: pending entries with owner, idle time and
    /// delivery count.
    public func xpending(
        _ key: String, group: String, from start: String = "-", to end: String = "+", count: Int,
        consumer: String? = nil, minIdle: Duration? = nil
    ) async throws -> [RedisPendingEntry] {
        var arguments = [RedisArgument(key), RedisArgument(group)]
        if let minIdle { arguments += ["IDLE", RedisArgument(minIdle.redisMilliseconds)] }
        arguments += [RedisArgument(start), RedisArgument(end), RedisArgument(count)]
        if let consumer { arguments.append(RedisArgument(consumer)) }
        return try await run(RedisCommand("XPENDING", arguments)).decodeArray("XPENDING").map { entry in
            let parts = try entry.decodeArray("XPENDING")
            guard parts.count == 4 else { throw entry.unexpected("XPENDING", "[id, consumer, idle, deliveries]") }
            return RedisPendingEntry(
                id: try parts[0].decodeString("XPENDING"), consumer: try parts[1].decodeString("XPENDING"),
                idle: .milliseconds(try parts[2].decodeInt("XPENDING")),
                deliveryCount: try parts[3].decodeInt("XPENDING"))
        }
    }

    /// `XAUTOCLAIM key group consumer min-idle start [COUNT n]`: takes over entries that other consumers have
    /// held for at least `minIdle`.
    public func xautoclaim(
        _ key: String, group: String, consumer: String, minIdle: Duration, start: String = "0-0", count: Int? = nil
    ) async throws -> RedisAutoClaim {
        var arguments = [
            RedisArgument(key), RedisArgument(group), RedisArgument(consumer),
            RedisArgument(minIdle.redisMilliseconds), RedisArgument(start),
        ]
        if let count { arguments += ["COUNT", RedisArgument(count)] }
        let reply = try await run(RedisCommand("XAUTOCLAIM", arguments))
        let parts = try reply.decodeArray("XAUTOCLAIM")
        // Redis 6.2 answers [next, entries]; Redis 7 adds the deleted ids.
        guard parts.count == 2 || parts.count == 3 else {
            throw reply.unexpected("XAUTOCLAIM", "[next, entries, deleted]")
        }
        // An entry always has a field, so one without fields is a deleted entry (how Redis 6.2 reports it).
        let claimed = try RedisStreamEntry.decodeList(parts[1], command: "XAUTOCLAIM")
        let deleted = parts.count == 3 ? try parts[2].decodeStrings("XAUTOCLAIM") : []
        return RedisAutoClaim(
            nextStart: try parts[0].decodeString("XAUTOCLAIM"), entries: claimed.filter { !$0.fields.isEmpty },
            deletedIDs: deleted + claimed.filter(\.fields.isEmpty).map(\.id))
    }
}
