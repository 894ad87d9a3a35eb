import MeshTesting
import Redis
import Testing

/// The typed commands against a real redis-server, over a real connection.
@Suite("Typed commands on a real server")
struct CommandsRealServerTests {
    @Test("strings, hashes, TTLs and SCAN over TLS")
    func basics() async throws {
        try await RedisServer.with(mode: .tls) { server async throws in
            try await withConnection(to: server) { connection async throws in
                #expect(try await connection.set("greeting", "hello", expiration: .seconds(60)))
                #expect(try await connection.set("greeting", "again", condition: .ifNotExists) == false)
                #expect(try await connection.get("greeting") == "hello")
                guard case .expires(let left) = try await connection.ttl("greeting") else {
                    Issue.record("expected a TTL")
                    return
                }
                #expect(left > .seconds(50) && left <= .seconds(60))
                #expect(try await connection.ttl("nothing") == .keyMissing)
                try await connection.set("binary", bytes: [0, 1, 255])
                #expect(try await connection.getBytes("binary") == [0, 1, 255])

                #expect(try await connection.hset("mesh:{t1}:task", ["state": "working", "step": "plan"]) == 2)
                #expect(try await connection.hgetall("mesh:{t1}:task") == ["state": "working", "step": "plan"])
                #expect(try await connection.hincrby("mesh:{t1}:task", field: "attempts") == 1)

                for index in 0..<25 { try await connection.set("scan:\(index)", "x") }
                var seen = Set<String>()
                for try await key in connection.scan(match: "scan:*", count: 5) { seen.insert(key) }
                #expect(seen.count == 25)
                #expect(try await connection.del(Array(seen)) == 25)

                await #expect(throws: RedisError.self) { try await connection.hgetall("greeting") }
            }
        }
    }

    @Test("streams with a consumer group: read, pending, ack, trim")
    func consumerGroup() async throws {
        try await RedisServer.with { server async throws in
            try await withConnection(to: server) { connection async throws in
                #expect(try await connection.xgroupCreate("dispatch", group: "masters", startingAt: "0"))
                #expect(try await connection.xgroupCreate("dispatch", group: "masters") == false)
                var ids: [String] = []
                for index in 0..<3 {
                    ids.append(
                        try await connection.xadd("dispatch", fields: ["task": "t\(index)"], trim: .maxLength(1000)))
                }
                let read = try await connection.xreadgroup("dispatch", group: "masters", consumer: "m1", count: 2)
                #expect(read.map(\.id) == Array(ids.prefix(2)))
                #expect(read.map { $0["task"] } == ["t0", "t1"])

                let summary = try await connection.xpendingSummary("dispatch", group: "masters")
                #expect(summary.count == 2 && summary.consumers == ["m1": 2] && summary.smallestID == ids[0])
                #expect(try await connection.xack("dispatch", group: "masters", ids: [ids[0]]) == 1)
                let pending = try await connection.xpending("dispatch", group: "masters", count: 10)
                #expect(pending.map(\.id) == [ids[1]])
                #expect(pending.first?.consumer == "m1" && pending.first?.deliveryCount == 1)

                let rest = try await connection.xreadgroup("dispatch", group: "masters", consumer: "m1")
                #expect(rest.map(\.id) == [ids[2]])
                let none = try await connection.xreadgroup(
                    "dispatch", group: "masters", consumer: "m1", block: .milliseconds(50))
                #expect(none.isEmpty)
                #expect(try await connection.xrange("dispatch", from: ids[1]).map(\.id) == Array(ids.suffix(2)))
                #expect(try await connection.xtrim("dispatch", .maxLength(1, approximate: false)) == 2)
                #expect(try await connection.xlen("dispatch") == 1)
            }
        }
    }

    @Test("a blocking read may outlast the command timeout")
    func blockingOutlastsCommandTimeout() async throws {
        try await RedisServer.with { server async throws in
            // The group is made with the default timeout: under the parallel suite's load a fresh server has taken
            // longer than 200 ms to answer a plain command (CI, 2026-11-22). Only the blocking reads are under test.
            try await withConnection(to: server) { setup async throws in
                try await setup.xgroupCreate("events", group: "readers")
            }
            let connection = try await server.connect(server.configuration(commandTimeout: .milliseconds(200)))
            let started = ContinuousClock.now
            let none = try await connection.xreadgroup(
                "events", group: "readers", consumer: "r", block: .milliseconds(600))
            #expect(none.isEmpty)
            #expect(ContinuousClock.now - started >= .milliseconds(600))
            #expect(try await connection.blpop(["queue"], timeout: .milliseconds(400)) == nil)
            #expect(connection.isActive)
            await connection.close()
        }
    }

    @Test("XAUTOCLAIM takes over a stale entry and reports a deleted one")
    func autoclaim() async throws {
        try await RedisServer.with { server async throws in
            try await withConnection(to: server) { connection async throws in
                try await connection.xgroupCreate("jobs", group: "workers")
                let stale = try await connection.xadd("jobs", fields: ["job": "a"])
                let gone = try await connection.xadd("jobs", fields: ["job": "b"])
                #expect(try await connection.xreadgroup("jobs", group: "workers", consumer: "crashed").count == 2)
                try await connection.xdel("jobs", ids: [gone])
                try await Task.sleep(for: .milliseconds(60))

                let fresh = try await connection.xautoclaim(
                    "jobs", group: "workers", consumer: "rescuer", minIdle: .seconds(60))
                #expect(fresh.entries.isEmpty, "nothing has been idle for a minute")

                let claim = try await connection.xautoclaim(
                    "jobs", group: "workers", consumer: "rescuer", minIdle: .milliseconds(50), count: 10)
                #expect(claim.entries.map(\.id) == [stale])
                #expect(claim.entries.first?["job"] == "a")
                // Redis 7.0 drops a deleted entry from the pending list whatever its idle time; later versions
                // only once it is idle enough. Either way it is reported exactly once.
                #expect(fresh.deletedIDs + claim.deletedIDs == [gone])
                #expect(claim.nextStart == "0-0")
                let pending = try await connection.xpending("jobs", group: "workers", count: 10)
                #expect(pending.map(\.consumer) == ["rescuer"])
                #expect(pending.first?.deliveryCount == 2)
            }
        }
    }

    @Test("EVALSHA loads the script on NOSCRIPT, also after SCRIPT FLUSH")
    func scripts() async throws {
        try await RedisServer.with(mode: .mutualTLS) { server async throws in
            try await withConnection(to: server) { connection async throws in
                let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
                #expect(try await server.redisCLI("SCRIPT", "LOAD", script.source) == script.sha1)
                try await server.redisCLI("SCRIPT", "FLUSH")
                #expect(try await script.run(on: connection, keys: ["counter"], arguments: [5]) == .integer(5))
                #expect(try await server.redisCLI("SCRIPT", "EXISTS", script.sha1) == "1")
                try await server.redisCLI("SCRIPT", "FLUSH")
                #expect(try await connection.evalScript(script, keys: ["counter"], arguments: [2]) == .integer(7))
                await #expect(throws: RedisError.self) {
                    try await connection.evalScript(RedisScript("return redis.error_reply('nope')"))
                }
            }
        }
    }
}

/// Connects to `server`, runs `body`, and closes the connection whether `body` returned or threw.
private func withConnection(
    to server: RedisServer, _ body: (RedisConnection) async throws -> Void
) async throws {
    let connection = try await server.connect()
    do {
        try await body(connection)
        await connection.close()
    } catch {
        await connection.close()
        throw error
    }
}
