extension RedisCommandRunner {
    /// `HSET`: writes the fields (in name order) and returns how many were new.
    @discardableResult
    public func hset(_ key: String, _ fields: [String: String]) async throws -> Int {
        guard !fields.isEmpty else { return 0 }
        var arguments = [RedisArgument(key)]
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            arguments += [RedisArgument(name), RedisArgument(value)]
        }
        return try await run(RedisCommand("HSET", arguments)).decodeInt("HSET")
    }

    /// `HSET` of one field; true when the field was new.
    @discardableResult
    public func hset(_ key: String, field: String, to value: String) async throws -> Bool {
        try await hset(key, [field: value]) == 1
    }

    /// `HSETNX`: writes the field only if it is missing; true when it was written.
    @discardableResult
    public func hsetnx(_ key: String, field: String, to value: String) async throws -> Bool {
        try await run(RedisCommand("HSETNX", RedisArgument(key), RedisArgument(field), RedisArgument(value)))
            .decodeBool("HSETNX")
    }

    /// `HGET`: one field, or nil when the field or the key is missing.
    public func hget(_ key: String, field: String) async throws -> String? {
        try await run(RedisCommand("HGET", RedisArgument(key), RedisArgument(field))).decodeOptionalString("HGET")
    }

    /// `HMGET`: the fields in the order asked, nil for missing ones.
    public func hmget(_ key: String, fields: [String]) async throws -> [String?] {
        guard !fields.isEmpty else { return [] }
        return try await run(RedisCommand("HMGET", [RedisArgument(key)] + fields.map { RedisArgument($0) }))
            .decodeOptionalStrings("HMGET")
    }

    /// `HGETALL`: every field; empty when the key is missing.
    public func hgetall(_ key: String) async throws -> [String: String] {
        try await run(RedisCommand("HGETALL", RedisArgument(key))).decodeDictionary("HGETALL")
    }

    /// `HDEL`: removes fields and returns how many existed.
    @discardableResult
    public func hdel(_ key: String, fields: [String]) async throws -> Int {
        guard !fields.isEmpty else { return 0 }
        return try await run(RedisCommand("HDEL", [RedisArgument(key)] + fields.map { RedisArgument($0) }))
            .decodeInt("HDEL")
    }

    /// `HINCRBY`: adds `amount` to an integer field and returns the new value.
    @discardableResult
    public func hincrby(_ key: String, field: String, by amount: Int = 1) async throws -> Int {
        try await run(RedisCommand("HINCRBY", RedisArgument(key), RedisArgument(field), RedisArgument(amount)))
            .decodeInt("HINCRBY")
    }

    /// `HEXISTS`: whether the field exists.
    public func hexists(_ key: String, field: String) async throws -> Bool {
        try await run(RedisCommand("HEXISTS", RedisArgument(key), RedisArgument(field))).decodeBool("HEXISTS")
    }

    /// `HLEN`: the number of fields.
    public func hlen(_ key: String) async throws -> Int {
        try await run(RedisCommand("HLEN", RedisArgument(key))).decodeInt("HLEN")
    }
}
