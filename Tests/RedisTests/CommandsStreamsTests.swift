import Redis
import Testing

@Suite("Typed commands: streams")
struct CommandsStreamsTests {
    static let entry = RESPValue.array([.bulk("1-0"), .bulks("kind", "status", "state", "working")])

    @Test("XADD with MAXLEN ~ and fields in name order")
    func xadd() async throws {
        let runner = FakeRedisRunner(.bulk("1700000000000-0"), .bulk("5-1"))
        let id = try await runner.xadd(
            "events", fields: ["state": "working", "kind": "status"], trim: .maxLength(1000))
        #expect(id == "1700000000000-0")
        #expect(runner.command == ["XADD", "events", "MAXLEN", "~", "1000", "*", "kind", "status", "state", "working"])
        try await runner.xadd("events", id: "5-1", fields: ["a": "b"], trim: .minID("3-0", approximate: false))
        #expect(runner.command == ["XADD", "events", "MINID", "3-0", "5-1", "a", "b"])
    }

    @Test("XREADGROUP with COUNT, BLOCK and STREAMS; entries per stream")
    func xreadgroup() async throws {
        let runner = FakeRedisRunner(
            .array([.array([.bulk("dispatch"), .array([Self.entry])]), .array([.bulk("other"), .array([])])]))
        let result = try await runner.xreadgroup(
            group: "masters", consumer: "m1", streams: [("dispatch", ">"), ("other", "0")], count: 10,
            block: .seconds(2))
        #expect(
            runner.command == [
                "XREADGROUP", "GROUP", "masters", "m1", "COUNT", "10", "BLOCK", "2000", "STREAMS", "dispatch", "other",
                ">", "0",
            ])
        #expect(result.map(\.key) == ["dispatch", "other"])
        #expect(result[0].entries == [RedisStreamEntry(id: "1-0", fields: ["kind": "status", "state": "working"])])
        #expect(result[0].entries[0]["state"] == "working")
        #expect(result[1].entries.isEmpty)
    }

    @Test("XREADGROUP that times out returns nothing; a deleted pending entry has no fields")
    func xreadgroupEdges() async throws {
        let runner = FakeRedisRunner(
            .null, .array([.array([.bulk("s"), .array([.array([.bulk("2-0"), .null])])])]))
        #expect(try await runner.xreadgroup("s", group: "g", consumer: "c", block: .milliseconds(10)).isEmpty)
        #expect(runner.command == ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", ">"])
        let pending = try await runner.xreadgroup("s", group: "g", consumer: "c", id: "0")
        #expect(pending == [RedisStreamEntry(id: "2-0", fields: [:])])
    }

    @Test("XACK, XLEN, XDEL, XTRIM")
    func small() async throws {
        let runner = FakeRedisRunner(.integer(2), .integer(9), .integer(1), .integer(4))
        #expect(try await runner.xack("s", group: "g", ids: ["1-0", "2-0"]) == 2)
        #expect(runner.command == ["XACK", "s", "g", "1-0", "2-0"])
        #expect(try await runner.xlen("s") == 9)
        #expect(try await runner.xdel("s", ids: ["1-0"]) == 1)
        #expect(try await runner.xtrim("s", .maxLength(5, approximate: false)) == 4)
        #expect(runner.command == ["XTRIM", "s", "MAXLEN", "5"])
    }

    @Test("XRANGE decodes entries")
    func xrange() async throws {
        let runner = FakeRedisRunner(.array([Self.entry]))
        let entries = try await runner.xrange("s", from: "(0-1", count: 5)
        #expect(runner.command == ["XRANGE", "s", "(0-1", "+", "COUNT", "5"])
        #expect(entries.map(\.id) == ["1-0"])
    }

    @Test("XGROUP CREATE MKSTREAM; BUSYGROUP means it exists, other errors throw")
    func xgroupCreate() async throws {
        let runner = FakeRedisRunner(
            .simpleString("OK"), .error("BUSYGROUP Consumer Group name already exists"), .error("WRONGTYPE x"))
        #expect(try await runner.xgroupCreate("dispatch", group: "masters", startingAt: "0"))
        #expect(runner.command == ["XGROUP", "CREATE", "dispatch", "masters", "0", "MKSTREAM"])
        #expect(try await runner.xgroupCreate("dispatch", group: "masters") == false)
        await #expect(throws: RedisError.server("WRONGTYPE x")) {
            try await runner.xgroupCreate("dispatch", group: "masters")
        }
    }

    @Test("XPENDING summary")
    func xpendingSummary() async throws {
        let runner = FakeRedisRunner(
            .array([.integer(3), .bulk("1-0"), .bulk("3-0"), .array([.bulks("c1", "2"), .bulks("c2", "1")])]),
            .array([.integer(0), .null, .null, .null]))
        let summary = try await runner.xpendingSummary("s", group: "g")
        #expect(runner.command == ["XPENDING", "s", "g"])
        #expect(
            summary
                == RedisPendingSummary(count: 3, smallestID: "1-0", greatestID: "3-0", consumers: ["c1": 2, "c2": 1]))
        let empty = try await runner.xpendingSummary("s", group: "g")
        #expect(empty.count == 0 && empty.smallestID == nil && empty.consumers.isEmpty)
    }

    @Test("XPENDING range with IDLE and consumer")
    func xpendingRange() async throws {
        let runner = FakeRedisRunner(.array([.array([.bulk("1-0"), .bulk("c1"), .integer(1200), .integer(2)])]))
        let entries = try await runner.xpending("s", group: "g", count: 10, consumer: "c1", minIdle: .seconds(1))
        #expect(runner.command == ["XPENDING", "s", "g", "IDLE", "1000", "-", "+", "10", "c1"])
        #expect(entries == [RedisPendingEntry(id: "1-0", consumer: "c1", idle: .milliseconds(1200), deliveryCount: 2)])
    }

    @Test("XAUTOCLAIM: Redis 7 reply with deleted ids, and Redis 6.2's nil entries")
    func xautoclaim() async throws {
        let runner = FakeRedisRunner(
            .array([.bulk("0-0"), .array([Self.entry]), .bulks("7-0")]),
            .array([.bulk("9-0"), .array([Self.entry, .array([.bulk("8-0"), .null])])]))
        let claim = try await runner.xautoclaim("s", group: "g", consumer: "c2", minIdle: .seconds(30), count: 10)
        #expect(runner.command == ["XAUTOCLAIM", "s", "g", "c2", "30000", "0-0", "COUNT", "10"])
        #expect(claim.nextStart == "0-0")
        #expect(claim.entries.map(\.id) == ["1-0"])
        #expect(claim.deletedIDs == ["7-0"])
        let old = try await runner.xautoclaim("s", group: "g", consumer: "c2", minIdle: .zero, start: "5-0")
        #expect(old.nextStart == "9-0")
        #expect(old.entries.map(\.id) == ["1-0"])
        #expect(old.deletedIDs == ["8-0"])
    }
}
