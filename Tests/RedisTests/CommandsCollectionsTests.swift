import Redis
import Testing

@Suite("Typed commands: hashes, lists, sets, sorted sets")
struct CommandsCollectionsTests {
    @Test("HSET sends fields in name order; HGETALL builds a dictionary")
    func hashes() async throws {
        let runner = FakeRedisRunner(.integer(2), .bulks("state", "working", "step", "plan"), .array([]))
        #expect(try await runner.hset("task:1", ["step": "plan", "state": "working"]) == 2)
        #expect(runner.command == ["HSET", "task:1", "state", "working", "step", "plan"].sortedHSET)
        #expect(try await runner.hgetall("task:1") == ["state": "working", "step": "plan"])
        #expect(try await runner.hgetall("missing") == [:])
    }

    @Test("HGET, HMGET, HDEL, HINCRBY, HEXISTS, HLEN, HSETNX")
    func hashFields() async throws {
        let runner = FakeRedisRunner(
            .null, .array([.bulk("1"), .null]), .integer(1), .integer(7), .integer(1), .integer(3), .integer(0))
        #expect(try await runner.hget("h", field: "f") == nil)
        #expect(try await runner.hmget("h", fields: ["a", "b"]) == ["1", nil])
        #expect(runner.command == ["HMGET", "h", "a", "b"])
        #expect(try await runner.hdel("h", fields: ["a"]) == 1)
        #expect(try await runner.hincrby("h", field: "attempts", by: 2) == 7)
        #expect(runner.command == ["HINCRBY", "h", "attempts", "2"])
        #expect(try await runner.hexists("h", field: "a"))
        #expect(try await runner.hlen("h") == 3)
        #expect(try await runner.hsetnx("h", field: "a", to: "x") == false)
        #expect(runner.command == ["HSETNX", "h", "a", "x"])
    }

    @Test("a hash reply with an odd element count is a protocol error")
    func oddHash() async throws {
        let runner = FakeRedisRunner(.bulks("a", "b", "c"))
        await #expect(throws: RedisError.self) { try await runner.hgetall("h") }
    }

    @Test("lists")
    func lists() async throws {
        let runner = FakeRedisRunner(
            .integer(2), .integer(3), .bulk("x"), .null, .bulks("a", "b"), .integer(2), .simpleString("OK"))
        #expect(try await runner.rpush("l", ["a", "b"]) == 2)
        #expect(runner.command == ["RPUSH", "l", "a", "b"])
        #expect(try await runner.lpush("l", ["z"]) == 3)
        #expect(try await runner.lpop("l") == "x")
        #expect(try await runner.rpop("l") == nil)
        #expect(try await runner.lrange("l", from: 0, to: -1) == ["a", "b"])
        #expect(runner.command == ["LRANGE", "l", "0", "-1"])
        #expect(try await runner.llen("l") == 2)
        try await runner.ltrim("l", from: 0, to: 99)
        #expect(runner.command == ["LTRIM", "l", "0", "99"])
    }

    @Test("BLPOP: a pair, or nil on timeout")
    func blpop() async throws {
        let runner = FakeRedisRunner(.bulks("q", "job"), .null)
        let popped = try await runner.blpop(["q", "r"], timeout: .milliseconds(1500))
        #expect(popped?.key == "q" && popped?.value == "job")
        #expect(runner.command == ["BLPOP", "q", "r", "1.5"])
        #expect(try await runner.blpop(["q"], timeout: .seconds(1)) == nil)
    }

    @Test("sets")
    func sets() async throws {
        let runner = FakeRedisRunner(.integer(2), .bulks("a", "b", "a"), .integer(1), .integer(0), .integer(1))
        #expect(try await runner.sadd("s", ["a", "b"]) == 2)
        #expect(try await runner.smembers("s") == ["a", "b"])
        #expect(try await runner.sismember("s", "a"))
        #expect(try await runner.srem("s", ["zz"]) == 0)
        #expect(runner.command == ["SREM", "s", "zz"])
        #expect(try await runner.scard("s") == 1)
    }

    @Test("sorted sets: scores formatted as Redis reads them, and parsed back")
    func sortedSets() async throws {
        let runner = FakeRedisRunner(
            .integer(2), .bulk("3.5"), .null, .bulks("a", "1", "b", "2.25"), .bulks("a"), .integer(1), .bulk("4"),
            .integer(2), .integer(1))
        #expect(try await runner.zadd("z", [.init("a", score: 1), .init("b", score: 2.25)]) == 2)
        #expect(runner.command == ["ZADD", "z", "1", "a", "2.25", "b"])
        #expect(try await runner.zscore("z", member: "a") == 3.5)
        #expect(try await runner.zscore("z", member: "none") == nil)
        #expect(try await runner.zrangeWithScores("z") == [.init("a", score: 1), .init("b", score: 2.25)])
        #expect(runner.command == ["ZRANGE", "z", "0", "-1", "WITHSCORES"])
        #expect(
            try await runner.zrangeByScore("z", from: .exclusive(1), to: .positiveInfinity, limit: (0, 10)) == ["a"])
        #expect(runner.command == ["ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "10"])
        #expect(try await runner.zrem("z", ["a"]) == 1)
        #expect(try await runner.zincrby("z", member: "b", by: 1.75) == 4)
        #expect(runner.command == ["ZINCRBY", "z", "1.75", "b"])
        #expect(try await runner.zremrangeByScore("z", from: .negativeInfinity, to: .inclusive(100)) == 2)
        #expect(runner.command == ["ZREMRANGEBYSCORE", "z", "-inf", "100"])
        #expect(try await runner.zcard("z") == 1)
    }
}

extension Array where Element == String {
    /// HSET's words with the field/value pairs in field-name order, as the typed command sends them.
    fileprivate var sortedHSET: [String] {
        let pairs = stride(from: 2, to: count, by: 2).map { (self[$0], self[$0 + 1]) }.sorted { $0.0 < $1.0 }
        return Array(prefix(2)) + pairs.flatMap { [$0.0, $0.1] }
    }
}
