extension RedisCommandRunner {
    /// `XADD`: appends an entry (fields in name order) and returns its id.
    ///
    /// - Parameters:
    ///   - id: `*` lets the server choose.
    ///   - trim: e.g. `.maxLength(10_000)` for `MAXLEN ~ 10000`.
    @discardableResult
    public func xadd(
        _ key: String, id: String = "*", fields: [String: String], trim: RedisStreamTrim? = nil
    ) async throws -> String {
        precondition(!fields.isEmpty, "XADD needs at least one field")
        var arguments = [RedisArgument(key)]
        if let trim { arguments += trim.arguments }
        arguments.append(RedisArgument(id))
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            arguments += [RedisArgument(name), RedisArgument(value)]
        }
        return try await run(RedisCommand("XADD", arguments)).decodeString("XADD")
    }

    /// `XLEN`: the number of entries.
    public func xlen(_ key: String) async throws -> Int {
        try await run(RedisCommand("XLEN", RedisArgument(key))).decodeInt("XLEN")
    }

    /// `XRANGE`: entries from `start` to `end` inclusive (`-` and `+` are the ends; `(id` excludes id).
    public func xrange(_ key: String, from start: String = "-", to end: String = "+", count: Int? = nil)
        async throws -> [RedisStreamEntry]
    {
        var arguments = [RedisArgument(key), RedisArgument(start), RedisArgument(end)]
        if let count { arguments += ["COUNT", RedisArgument(count)] }
        return try RedisStreamEntry.decodeList(try await run(RedisCommand("XRANGE", arguments)), command: "XRANGE")
    }

    /// `XTRIM`: caps the stream and returns how many entries were removed.
    @discardableResult
    public func xtrim(_ key: String, _ trim: RedisStreamTrim) async throws -> Int {
        try await run(RedisCommand("XTRIM", [RedisArgument(key)] + trim.arguments)).decodeInt("XTRIM")
    }

    /// `XDEL`: deletes entries and returns how many existed.
    @discardableResult
    public func xdel(_ key: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await run(RedisCommand("XDEL", [RedisArgument(key)] + ids.map { RedisArgument($0) }))
            .decodeInt("XDEL")
    }

    /// `XGROUP CREATE key group id [MKSTREAM]`; returns false when the group already exists (`BUSYGROUP`).
    ///
    /// - Parameter id: `$` delivers only entries added from now on, `0` everything in the stream.
    @discardableResult
    public func xgroupCreate(_ key: String, group: String, startingAt id: String = "$", makeStream: Bool = true)
        async throws -> Bool
    {
        var arguments: [RedisArgument] = ["CREATE", RedisArgument(key), RedisArgument(group), RedisArgument(id)]
        if makeStream { arguments.append("MKSTREAM") }
        do {
            _ = try await run(RedisCommand("XGROUP", arguments)).checked()
            return true
        } catch RedisError.server(let message) where message.hasPrefix("BUSYGROUP") {
            return false
        }
    }

    /// `XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...`.
    ///
    /// - Parameters:
    ///   - streams: each stream with the id to read after: `>` for new entries, `0` for this consumer's pending ones.
    ///   - block: how long to wait for entries; nil returns at once, `.zero` waits for ever. A blocking read holds
    ///     its connection, so use a dedicated one; the reply may take `block` plus 5 s before it times out.
    /// - Returns: the entries per stream, in the order of `streams`; streams without entries are left out.
    public func xreadgroup(
        group: String, consumer: String, streams: [(key: String, id: String)], count: Int? = nil,
        block: Duration? = nil, noAck: Bool = false
    ) async throws -> [(key: String, entries: [RedisStreamEntry])] {
        precondition(!streams.isEmpty, "XREADGROUP needs at least one stream")
        var arguments: [RedisArgument] = ["GROUP", RedisArgument(group), RedisArgument(consumer)]
        if let count { arguments += ["COUNT", RedisArgument(count)] }
        if let block { arguments += ["BLOCK", RedisArgument(block.redisMilliseconds)] }
        if noAck { arguments.append("NOACK") }
        arguments.append("STREAMS")
        arguments += streams.map { RedisArgument($0.key) } + streams.map { RedisArgument($0.id) }
        let command = RedisCommand("XREADGROUP", arguments)
        let reply = try await block == nil ? run(command) : run(command, timeout: blockingTimeout(block))
        return try reply.decodeArray("XREADGROUP").map { stream in
            let parts = try stream.decodeArray("XREADGROUP")
            guard parts.count == 2 else { throw stream.unexpected("XREADGROUP", "[stream, entries]") }
            return (
                try parts[0].decodeString("XREADGROUP"),
                try RedisStreamEntry.decodeList(parts[1], command: "XREADGROUP")
            )
        }
    }

    /// `XREADGROUP` on one stream: its entries, empty when none arrived within `block`.
    public func xreadgroup(
        _ key: String, group: String, consumer: String, id: String = ">", count: Int? = nil, block: Duration? = nil
    ) async throws -> [RedisStreamEntry] {
        let result = try await xreadgroup(
            group: group, consumer: consumer, streams: [(key, id)], count: count, block: block)
        return result.first { $0.key == key }?.entries ?? []
    }

    /// `XACK`: acknowledges entries and returns how many were pending.
    @discardableResult
    public func xack(_ key: String, group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await run(
            RedisCommand("XACK", [RedisArgument(key), RedisArgument(group)] + ids.map { RedisArgument($0) })
        ).decodeInt("XACK")
    }
}
