import MeshTesting
import Redis
import Testing

@Suite("Redis connection pool", .timeLimit(.minutes(2)))
struct RedisConnectionPoolTests {
    @Test func boundedUnderConcurrentLoad() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let pool = try RedisConnectionPool(configuration: server.configuration(poolSize: 3))
            try await pool.verify()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        _ = try await pool.pipeline([RedisCommand("INCR", "hits"), RedisCommand("GET", "hits")])
                        #expect(pool.openConnections <= 3)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.run(RedisCommand("GET", "hits")).int == 100)
            #expect(pool.openConnections <= 3)
            await pool.close()
            #expect(pool.openConnections == 0)
        }
    }

    @Test func verifyFailsFastWithTheCause() async throws {
        try await RedisServer.with(mode: .plain) { server in
            var configuration = server.configuration()
            configuration.password = "wrong"
            let pool = try RedisConnectionPool(configuration: configuration, reconnectPolicy: testReconnectPolicy)
            await expectRedisError {
                try await pool.verify()
            } _: { error in
                guard case .authenticationFailed(let user, let address, _) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(user == server.username && address == server.address)
            }
            #expect(pool.openConnections == 0)
            await pool.close()
        }
    }

    @Test func acknowledgedWriteSurvivesServerRestart() async throws {
        try await RedisServer.with(mode: .tls, appendOnly: true) { server in
            let pool = try RedisConnectionPool(
                configuration: server.configuration(poolSize: 2), reconnectPolicy: testReconnectPolicy)
            try await pool.verify()
            #expect(try await pool.run(RedisCommand("SET", "durable", "kept")) == .simpleString("OK"))
            _ = try await pool.run(RedisCommand("RPUSH", "log", "1"))

            await server.crash()  // SIGKILL: only what the AOF holds comes back
            async let restarted: Void = server.restart()
            // Commands issued while the server is down wait for the reconnect, with backoff and jitter.
            #expect(try await pool.run(RedisCommand("GET", "durable")).string == "kept")
            try await restarted
            #expect(try await pool.run(RedisCommand("LRANGE", "log", "0", "-1")) == .array([.bulkString([49])]))
            await pool.close()
        }
    }

    @Test func dedicatedConnectionForBlockingCommands() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let pool = try RedisConnectionPool(configuration: server.configuration(poolSize: 1))
            let popped = try await withThrowingTaskGroup(of: RESPValue?.self) { group in
                group.addTask {
                    try await pool.withDedicatedConnection { connection in
                        try await connection.run(RedisCommand("BLPOP", "jobs", "10"))
                    }
                }
                group.addTask {
                    // The only pooled connection stays free while BLPOP blocks on its own connection.
                    try await Task.sleep(for: .milliseconds(200))
                    _ = try await pool.run(RedisCommand("LPUSH", "jobs", "job-1"))
                    return nil
                }
                var result: RESPValue?
                for try await value in group where value != nil { result = value }
                return result
            }
            #expect(popped == .array([.bulkString(Array("jobs".utf8)), .bulkString(Array("job-1".utf8))]))
            await pool.close()
        }
    }

    @Test func closeEndsBlockedDedicatedConnection() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let pool = try RedisConnectionPool(configuration: server.configuration())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await expectRedisError {
                        _ = try await pool.withDedicatedConnection { connection in
                            try await connection.run(RedisCommand("BLPOP", "never", "0"))
                        }
                    } _: { error in
                        guard case .connectionClosed = error else {
                            Issue.record("got \(error)")
                            return
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                await pool.close()
                try await group.waitForAll()
            }
            await expectRedisError {
                _ = try await pool.run(RedisCommand("PING"))
            } _: { error in
                #expect(error.description.contains("shut down"))
            }
        }
    }
}
