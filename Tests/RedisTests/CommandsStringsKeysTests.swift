import Redis
import Testing

@Suite("Typed commands: strings and keys")
struct CommandsStringsKeysTests {
    @Test("GET decodes text, bytes and nil")
    func get() async throws {
        let runner = FakeRedisRunner(.bulk("v"), .null, .bulkString([0, 255]))
        #expect(try await runner.get("k") == "v")
        #expect(runner.command == ["GET", "k"])
        #expect(try await runner.get("missing") == nil)
        #expect(try await runner.getBytes("b") == [0, 255])
    }

    @Test("SET with PX and NX/XX; a nil reply means the condition failed")
    func set() async throws {
        let runner = FakeRedisRunner(.simpleString("OK"), .null, .simpleString("OK"), .simpleString("OK"))
        #expect(try await runner.set("k", "v", expiration: .milliseconds(1500), condition: .ifNotExists))
        #expect(runner.command == ["SET", "k", "v", "PX", "1500", "NX"])
        #expect(try await runner.set("k", "v", condition: .ifExists) == false)
        #expect(runner.command == ["SET", "k", "v", "XX"])
        try await runner.set("k", bytes: [1, 2])
        #expect(runner.command == ["SET", "k", "\u{1}\u{2}"])
        try await runner.set("k", "v", expiration: .microseconds(1))
        #expect(runner.command == ["SET", "k", "v", "PX", "1"], "a tiny expiry rounds up, never to 0")
    }

    @Test("MGET, INCRBY, APPEND")
    func multiAndCounters() async throws {
        let runner = FakeRedisRunner(.array([.bulk("a"), .null]), .integer(5), .integer(3))
        #expect(try await runner.mget(["x", "y"]) == ["a", nil])
        #expect(runner.command == ["MGET", "x", "y"])
        #expect(try await runner.incr("n", by: 4) == 5)
        #expect(runner.command == ["INCRBY", "n", "4"])
        #expect(try await runner.append("s", "abc") == 3)
        #expect(try await runner.mget([]) == [])
        #expect(runner.commands.count == 3, "an empty MGET sends nothing")
    }

    @Test("an error reply becomes RedisError.server; a wrong shape names the command")
    func errors() async throws {
        let runner = FakeRedisRunner(.error("WRONGTYPE Operation against a key"), .array([]))
        await #expect(throws: RedisError.server("WRONGTYPE Operation against a key")) { try await runner.get("k") }
        let error = await #expect(throws: RedisError.self) { try await runner.incr("k") }
        #expect(error == .protocolError("INCRBY expected an integer in its reply, got an array of 0"))
    }

    @Test("an error nested in an array reply also throws")
    func nestedError() async throws {
        let runner = FakeRedisRunner(.array([.bulk("a"), .error("ERR inner")]))
        await #expect(throws: RedisError.server("ERR inner")) { try await runner.mget(["a", "b"]) }
    }

    @Test("DEL, EXISTS, PEXPIRE, PERSIST")
    func keys() async throws {
        let runner = FakeRedisRunner(.integer(2), .integer(1), .integer(1), .integer(0))
        #expect(try await runner.del("a", "b") == 2)
        #expect(runner.command == ["DEL", "a", "b"])
        #expect(try await runner.exists("a") == 1)
        #expect(try await runner.expire("a", after: .seconds(30)))
        #expect(runner.command == ["PEXPIRE", "a", "30000"])
        #expect(try await runner.persist("a") == false)
    }

    @Test("PTTL maps -2, -1 and milliseconds")
    func ttl() async throws {
        let runner = FakeRedisRunner(.integer(-2), .integer(-1), .integer(2500))
        #expect(try await runner.ttl("k") == .keyMissing)
        #expect(try await runner.ttl("k") == .persistent)
        #expect(try await runner.ttl("k") == .expires(in: .milliseconds(2500)))
        #expect(runner.command == ["PTTL", "k"])
    }

    @Test("SCAN walks the cursor to 0, skipping empty pages")
    func scan() async throws {
        let runner = FakeRedisRunner(
            .array([.bulk("17"), .bulks("a", "b")]), .array([.bulk("9"), .array([])]),
            .array([.bulk("0"), .bulks("c")]))
        var keys: [String] = []
        for try await key in runner.scan(match: "mesh:*", count: 100, type: "hash") { keys.append(key) }
        #expect(keys == ["a", "b", "c"])
        #expect(
            runner.commands == [
                ["SCAN", "0", "MATCH", "mesh:*", "COUNT", "100", "TYPE", "hash"],
                ["SCAN", "17", "MATCH", "mesh:*", "COUNT", "100", "TYPE", "hash"],
                ["SCAN", "9", "MATCH", "mesh:*", "COUNT", "100", "TYPE", "hash"],
            ])
    }

    @Test("a malformed SCAN reply is a protocol error")
    func badScan() async throws {
        let runner = FakeRedisRunner(.array([.bulk("0")]))
        await #expect(throws: RedisError.self) { try await runner.scanPage() }
    }

    @Test("PUBLISH returns the receiver count")
    func publish() async throws {
        let runner = FakeRedisRunner(.integer(2))
        #expect(try await runner.publish("hello", to: "news") == 2)
        #expect(runner.command == ["PUBLISH", "news", "hello"])
    }
}
